import { Injectable } from '@nestjs/common';
import type { CityFacetDto, FacetCountDto, ProviderSearchQueryDto, ProviderType } from '@darman/contracts';
import { normalizeForSearch } from '@darman/persian';
import { PrismaService } from '../prisma/prisma.service.js';

export interface ProviderRow {
  provider_id: string;
  name: string;
  type: ProviderType;
  province: string | null;
  city: string;
  address: string;
  phone: string | null;
  fax: string | null;
  website: string | null;
  issues_referral: boolean;
  online_referral: boolean;
  contracted: boolean;
  lat: number | null;
  lng: number | null;
}

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

/**
 * Directory queries, all in PostgreSQL: every query word must appear in
 * `search_text` (`LIKE '%word%'`, served by the pg_trgm GIN index), so word
 * order does not matter and partial words match; results rank exact name,
 * then name prefix, then names containing every word, then other matches,
 * then trigram similarity of the name.
 */
@Injectable()
export class ProvidersRepository {
  constructor(private readonly db: PrismaService) {}

  async search(query: ProviderSearchQueryDto): Promise<{ rows: ProviderRow[]; total: number }> {
    const terms = searchTerms(query.q);
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['contracted'];
    for (const term of terms) where.push(`search_text LIKE ${param(`%${escapeLike(term)}%`)}`);
    if (query.province) where.push(`province_norm = ${param(normalizeForSearch(query.province))}`);
    if (query.city) where.push(`city_norm = ${param(normalizeForSearch(query.city))}`);
    if (query.type) where.push(`type = ${param(query.type)}`);
    if (query.onlineReferral !== undefined) where.push(`online_referral = ${param(query.onlineReferral)}`);
    if (query.issuesReferral !== undefined) where.push(`issues_referral = ${param(query.issuesReferral)}`);
    const whereParams = params.length;

    let order = 'name_norm, provider_id';
    if (terms.length > 0) {
      const phrase = terms.join(' ');
      const exact = param(phrase);
      const prefix = param(`${escapeLike(phrase)}%`);
      const allInName = terms.map((t) => `name_norm LIKE ${param(`%${escapeLike(t)}%`)}`).join(' AND ');
      order = `CASE WHEN name_norm = ${exact} THEN 0 WHEN name_norm LIKE ${prefix} THEN 1 WHEN ${allInName} THEN 2 ELSE 3 END,
               similarity(name_norm, ${exact}) DESC, name_norm, provider_id`;
    }
    const limit = param(query.pageSize);
    const offset = param((query.page - 1) * query.pageSize);
    const rows = await this.db.$queryRawUnsafe<(ProviderRow & { total: number })[]>(
      `SELECT provider_id, name, type, province, city, address, phone, fax, website, issues_referral, online_referral, contracted,
              lat, lng, count(*) OVER ()::int AS total
         FROM providers
        WHERE ${where.join(' AND ')}
        ORDER BY ${order}
        LIMIT ${limit} OFFSET ${offset}`,
      ...params,
    );
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && query.page > 1) {
      const counted = await this.db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM providers WHERE ${where.join(' AND ')}`,
        ...params.slice(0, whereParams),
      );
      total = counted[0]?.n ?? 0;
    }
    return { rows, total };
  }

  async findById(providerId: string): Promise<ProviderRow | null> {
    const rows = await this.db.$queryRaw<ProviderRow[]>`
      SELECT provider_id, name, type, province, city, address, phone, fax, website, issues_referral, online_referral, contracted, lat, lng
        FROM providers WHERE provider_id = ${providerId}`;
    return rows[0] ?? null;
  }

  /** Provinces, cities and types of the contracted providers, with counts, most common first. */
  async facets(): Promise<{ provinces: FacetCountDto[]; cities: CityFacetDto[]; types: FacetCountDto[]; total: number }> {
    const rows = await this.db.$queryRaw<{ facet: string; value: string; province: string | null; count: number }[]>`
      SELECT 'province' AS facet, province AS value, NULL AS province, count(*)::int AS count
        FROM providers WHERE contracted AND province IS NOT NULL GROUP BY province
      UNION ALL
      SELECT 'city', city, min(province), count(*)::int FROM providers WHERE contracted GROUP BY city
      UNION ALL
      SELECT 'type', type, NULL, count(*)::int FROM providers WHERE contracted GROUP BY type
      UNION ALL
      SELECT 'total', '', NULL, count(*)::int FROM providers WHERE contracted
      ORDER BY count DESC, value`;
    const of = (facet: string) => rows.filter((r) => r.facet === facet);
    return {
      provinces: of('province').map(({ value, count }) => ({ value, count })),
      cities: of('city').map(({ value, province, count }) => ({ value, province, count })),
      types: of('type').map(({ value, count }) => ({ value, count })),
      total: of('total')[0]?.count ?? 0,
    };
  }
}
