import { Injectable } from '@nestjs/common';
import type { CityFacetDto, FacetCountDto, ProviderSearchQueryDto, ProviderType } from '@darman/contracts';
import { queryPage } from '@darman/platform';
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

/** Directory queries, all in PostgreSQL (the search statement is built in provider-search.sql.ts). */
@Injectable()
export class ProvidersRepository {
  constructor(private readonly db: PrismaService) {}

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
