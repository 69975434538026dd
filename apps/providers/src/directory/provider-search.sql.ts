import type { ProviderSearchQueryDto } from '@darman/contracts';
import { normalizeForSearch } from '@darman/persian';

const LIKE_SPECIALS = /[\\%_]/g;
const escapeLike = (text: string) => text.replace(LIKE_SPECIALS, (c) => `\\${c}`);
const MAX_TERMS = 8;

/**
 * The words of a query after DOMAIN.md normalisation. A word made of digits
 * and phone separators is matched by its digits (stored text carries phone
 * and fax digits without separators too).
 */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return normalizeForSearch(q)
    .split(' ')
    .map((word) => (/^[\d\-()+/]+$/.test(word) ? word.replace(/\D/g, '') : word))
    .filter((word) => word.length > 0)
    .slice(0, MAX_TERMS);
}

export interface ProviderSearchSql {
  /** Every matching provider, with the columns its rank is ordered by (see queryPage). */
  matched: string;
  orderBy: string;
  params: unknown[];
}

/**
 * The search as SQL (kept free of Nest and Prisma so the benchmark can
 * EXPLAIN the very statement the service runs). Every query word must be the
 * start of a word of the provider's text: PostgreSQL full-text search with
 * prefix terms (`search_vector @@ to_tsquery('simple', 'word:* & …')`, a GIN
 * index), so word order does not matter and partial words match as typed,
 * from their start. Results rank the exact name, then a name that starts with
 * the query, then names containing every word, then other matches; within a
 * tier the shorter name (closer to the query) first. Trigram similarity is not
 * in the order: computed for every match, it tripled the cost of broad queries.
 */
export function buildProviderSearch(
  query: Pick<ProviderSearchQueryDto, 'q' | 'province' | 'city' | 'type' | 'onlineReferral' | 'issuesReferral'>,
): ProviderSearchSql {
  const terms = searchTerms(query.q);
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['contracted'];
  const lexemes = terms.flatMap((t) => t.split(/[^\p{L}\p{N}]+/u)).filter(Boolean);
  if (lexemes.length > 0) where.push(`search_vector @@ to_tsquery('simple', ${param(lexemes.map((l) => `${l}:*`).join(' & '))})`);
  if (query.province) where.push(`province_norm = ${param(normalizeForSearch(query.province))}`);
  if (query.city) where.push(`city_norm = ${param(normalizeForSearch(query.city))}`);
  if (query.type) where.push(`type = ${param(query.type)}`);
  if (query.onlineReferral !== undefined) where.push(`online_referral = ${param(query.onlineReferral)}`);
  if (query.issuesReferral !== undefined) where.push(`issues_referral = ${param(query.issuesReferral)}`);
  let tier = '0';
  if (terms.length > 0) {
    const phrase = terms.join(' ');
    const exact = param(phrase);
    const prefix = param(`${escapeLike(phrase)}%`);
    const allInName = terms.map((t) => `(' ' || name_norm) LIKE ${param(`% ${escapeLike(t)}%`)}`).join(' AND ');
    tier = `CASE WHEN name_norm = ${exact} THEN 0 WHEN name_norm LIKE ${prefix} THEN 1 WHEN ${allInName} THEN 2 ELSE 3 END`;
  }
  const matched = `SELECT provider_id, name, type, province, city, address, phone, fax, website, issues_referral, online_referral,
                          contracted, lat, lng, ${tier} AS tier, length(name_norm) AS len, name_norm
                     FROM providers
                    WHERE ${where.join(' AND ')}`;
  return { matched, orderBy: 'tier, len, name_norm, provider_id', params };
}
