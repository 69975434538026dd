import { Injectable } from '@nestjs/common';
import type { CityFacetDto, FacetCountDto, ProviderSearchQueryDto, ProviderType, ProviderUpsertedData } from '@darman/contracts';
import type { SqlExecutor } from '@darman/messaging';
import { jsonUpsertSql, queryPage } from '@darman/platform';
import { PrismaService } from '../prisma/prisma.service.js';
import { buildProviderSearch } from './provider-search.sql.js';

export { searchTerms } from './provider-search.sql.js';

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

/** A provider as the directory writes it: the event's fields plus the normalised text search matches. */
export type ProviderWrite = ProviderUpsertedData & {
  lat: number | null;
  lng: number | null;
  nameNorm: string;
  provinceNorm: string | null;
  cityNorm: string;
  searchText: string;
};

const UPSERT_PROVIDERS = jsonUpsertSql('providers', ['provider_id'], {
  provider_id: 'text',
  name: 'text',
  type: 'text',
  province: 'text',
  city: 'text',
  address: 'text',
  phone: 'text',
  fax: 'text',
  website: 'text',
  issues_referral: 'boolean',
  online_referral: 'boolean',
  contracted: 'boolean',
  lat: 'double precision',
  lng: 'double precision',
  name_norm: 'text',
  search_text: 'text',
  province_norm: 'text',
  city_norm: 'text',
});

/**
 * The only code that touches the `providers` table: the directory's writes
 * (in the consumer's transaction) and its queries (the search statement is
 * built in provider-search.sql.ts).
 */
@Injectable()
export class ProvidersRepository {
  constructor(private readonly db: PrismaService) {}

  async upsert(tx: SqlExecutor, providers: ProviderWrite[]): Promise<void> {
    if (providers.length > 0) await tx.$executeRawUnsafe(UPSERT_PROVIDERS, JSON.stringify(providers));
  }

  async remove(tx: SqlExecutor, providerIds: string[]): Promise<void> {
    if (providerIds.length > 0) await tx.$executeRawUnsafe('DELETE FROM providers WHERE provider_id = ANY($1::text[])', providerIds);
  }

  async deleteAll(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe('DELETE FROM providers');
  }

  search(query: ProviderSearchQueryDto): Promise<{ rows: ProviderRow[]; total: number }> {
    const { matched, orderBy, params } = buildProviderSearch(query);
    return queryPage<ProviderRow>(this.db, matched, orderBy, params, query);
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
