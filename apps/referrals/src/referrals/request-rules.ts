import type { ReferralCategory } from '@darman/contracts';
import { normalizeForSearch, tehranDate, tehranInstant, type BusinessCalendar } from '@darman/persian';

/** Categories whose letters must be asked two business days ahead (DOMAIN.md); the others four hours ahead. */
const DAYS_AHEAD: readonly ReferralCategory[] = ['HOSPITALIZATION', 'SURGERY'];
const BUSINESS_DAYS_AHEAD = 2;
const HOURS_AHEAD = 4;

/**
 * Whether a request made at `now` for `admissionDate` is later than the seed
 * asks (a warning, never a refusal).
 * - Hospital and surgery: two whole business days between the request day and
 *   the admission day, neither counted (the unit works on business days, so a
 *   request on Saturday for Tuesday leaves it Sunday and Monday).
 * - Paraclinical and other services: four hours before the admission day
 *   begins in Tehran. Only the date is known, and its first hour is the
 *   earliest the service can be.
 */
export function isLeadTimeShort(category: ReferralCategory, admissionDate: string, now: Date, calendar: BusinessCalendar): boolean {
  if (DAYS_AHEAD.includes(category)) return admissionDate <= calendar.addBusinessDays(tehranDate(now), BUSINESS_DAYS_AHEAD);
  return tehranInstant(admissionDate, '00:00').getTime() - now.getTime() < HOURS_AHEAD * 3_600_000;
}

/**
 * Whether the trusted doctor's exam is needed before approval (DOMAIN.md):
 * the category is on the configured list, or the reason contains one of the
 * configured terms after Persian normalisation (so «رینو پلاستی» with another
 * ی or a ZWNJ still matches «رینوپلاستی»).
 */
export function needsExam(
  reason: string,
  category: ReferralCategory,
  rules: { reasons: readonly string[]; categories: readonly string[] },
): boolean {
  if (rules.categories.includes(category)) return true;
  // Stryker disable next-line Regex: /\s/g removes the same characters as /\s+/g.
  const text = normalizeForSearch(reason).replace(/\s+/g, '');
  return rules.reasons.some((term) => {
    // Stryker disable next-line Regex: /\s/g removes the same characters as /\s+/g.
    const normalized = normalizeForSearch(term).replace(/\s+/g, '');
    return normalized !== '' && text.includes(normalized);
  });
}
