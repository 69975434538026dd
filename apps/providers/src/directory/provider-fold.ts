import type { ProviderUpsertedData } from '@darman/contracts';
import { normalizeForSearch } from '@darman/persian';
import type { ProviderWrite } from './providers.repository.js';

const digitsOnly = (value: string | undefined) => (value ? value.replace(/\D/g, '') : '');
// Stryker disable next-line Regex,MethodExpression: normalizeForSearch collapses and trims the spaces either way.
const digitGroups = (value: string | undefined) => (value ? value.replace(/\D+/g, ' ').trim() : '');

/**
 * The searchable text of a provider: what `q` is matched against. DOMAIN.md
 * normalisation; phone and fax both as digit groups and as one run of digits.
 * PostgreSQL derives `search_vector` from it.
 */
export function providerSearchText(p: ProviderUpsertedData): string {
  const parts = [p.name, p.province, p.city, p.address, digitGroups(p.phone), digitsOnly(p.phone), digitGroups(p.fax), digitsOnly(p.fax)];
  // Stryker disable next-line MethodExpression: an empty part only adds a space, which normalizeForSearch collapses.
  return normalizeForSearch(parts.filter(Boolean).join(' '));
}

/** The directory row of a provider: the event's fields, its location flattened, and the normalised text search matches. */
export function providerRow(p: ProviderUpsertedData): ProviderWrite {
  return {
    ...p,
    lat: p.location?.lat ?? null,
    lng: p.location?.lng ?? null,
    nameNorm: normalizeForSearch(p.name),
    provinceNorm: p.province ? normalizeForSearch(p.province) : null,
    cityNorm: normalizeForSearch(p.city),
    searchText: providerSearchText(p),
  };
}
