import { Injectable } from '@nestjs/common';
import type { ProviderUpsertedData } from '@darman/contracts';
import {
  latestBySubject,
  loadSubjectHistory,
  reprojectAll,
  type ConsumedEvent,
  type EventHandler,
  type RebuildableProjection,
  type SqlExecutor,
} from '@darman/messaging';
import { normalizeForSearch } from '@darman/persian';

const PROVIDER_EVENTS = ['ProviderUpserted', 'ProviderRemoved'] as const;

const digitsOnly = (value: string | undefined) => (value ? value.replace(/\D/g, '') : '');
const digitGroups = (value: string | undefined) => (value ? value.replace(/\D+/g, ' ').trim() : '');

/**
 * The searchable text of a provider: what `q` is matched against. DOMAIN.md
 * normalisation; phone and fax both as digit groups and as one run of digits.
 * PostgreSQL derives `search_vector` from it.
 */
export function providerSearchText(p: ProviderUpsertedData): string {
  const parts = [p.name, p.province, p.city, p.address, digitGroups(p.phone), digitsOnly(p.phone), digitGroups(p.fax), digitsOnly(p.fax)];
  return normalizeForSearch(parts.filter(Boolean).join(' '));
}

/**
 * Projects `insurer.providers.v1` into the directory. Each affected provider
 * is re-folded from its stored history: the last event in order (`sequence`,
 * else `occurredAt`) decides, so duplicates and late or reordered events end
 * in the same row, and a removal followed by a newer upsert brings it back.
 */
@Injectable()
export class ProvidersEventsHandler implements EventHandler, RebuildableProjection {
  /** Bump the version when the projection changes: the directory is then rebuilt from the stored events at start. */
  readonly projection = { name: 'providers-directory', version: 3 };

  async handle(events: ConsumedEvent[], tx: SqlExecutor): Promise<void> {
    await this.project(
      tx,
      events.map((e) => e.event.subject),
    );
  }

  async rebuild(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe('DELETE FROM providers');
    await reprojectAll(tx, PROVIDER_EVENTS, (ids) => this.project(tx, ids));
  }

  private async project(tx: SqlExecutor, ids: string[]): Promise<void> {
    const history = await loadSubjectHistory(tx, PROVIDER_EVENTS, ids);
    const latest = latestBySubject(history).map((last) => ({ id: last.subject, last }));

    const removed = latest.filter((l) => l.last.eventType === 'ProviderRemoved').map((l) => l.id);
    if (removed.length > 0) await tx.$executeRawUnsafe('DELETE FROM providers WHERE provider_id = ANY($1::text[])', removed);

    const rows = latest
      .filter((l) => l.last.eventType === 'ProviderUpserted')
      .map(({ last }) => {
        const p = last.data as unknown as ProviderUpsertedData;
        return {
          ...p,
          lat: p.location?.lat ?? null,
          lng: p.location?.lng ?? null,
          nameNorm: normalizeForSearch(p.name),
          provinceNorm: p.province ? normalizeForSearch(p.province) : null,
          cityNorm: normalizeForSearch(p.city),
          searchText: providerSearchText(p),
        };
      });
    if (rows.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO providers (provider_id, name, type, province, city, address, phone, fax, website, issues_referral, online_referral,
                              contracted, lat, lng, name_norm, search_text, province_norm, city_norm, updated_at)
       SELECT r."providerId", r.name, r.type, r.province, r.city, r.address, r.phone, r.fax, r.website, r."issuesReferral",
              r."onlineReferral", r.contracted, r.lat, r.lng, r."nameNorm", r."searchText", r."provinceNorm", r."cityNorm", now()
         FROM jsonb_to_recordset($1::jsonb) AS r("providerId" text, name text, type text, province text, city text, address text,
              phone text, fax text, website text, "issuesReferral" boolean, "onlineReferral" boolean, contracted boolean,
              lat double precision, lng double precision, "nameNorm" text, "searchText" text, "provinceNorm" text, "cityNorm" text)
       ON CONFLICT (provider_id) DO UPDATE SET
         name = EXCLUDED.name, type = EXCLUDED.type, province = EXCLUDED.province, city = EXCLUDED.city, address = EXCLUDED.address,
         phone = EXCLUDED.phone, fax = EXCLUDED.fax, website = EXCLUDED.website, issues_referral = EXCLUDED.issues_referral,
         online_referral = EXCLUDED.online_referral, contracted = EXCLUDED.contracted, lat = EXCLUDED.lat, lng = EXCLUDED.lng,
         name_norm = EXCLUDED.name_norm, search_text = EXCLUDED.search_text, province_norm = EXCLUDED.province_norm,
         city_norm = EXCLUDED.city_norm, updated_at = now()`,
      JSON.stringify(rows),
    );
  }
}
