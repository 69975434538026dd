import type { ContractUpsertedData, MemberEnrolledData, MemberLeftData, MemberUpdatedData } from '@darman/contracts';
import {
  groupBy,
  latestBySubject,
  loadSubjectHistory,
  reprojectAll,
  subjectsOf,
  type ConsumedEvent,
  type SqlExecutor,
  type StoredEvent,
} from '@darman/messaging';
import { normalizeForSearch } from '@darman/persian';

/** Event types of `insurer.members.v1` that the member registry folds. */
export const REGISTRY_CONTRACT_EVENTS = ['ContractUpserted'] as const;
export const REGISTRY_MEMBER_EVENTS = ['MemberEnrolled', 'MemberUpdated', 'MemberLeft'] as const;

interface EnrollmentRow {
  national_code: string;
  contract_number: string;
  first_name: string;
  last_name: string;
  birth_date: string;
  mobile: string;
  membership_type: string;
  relation: string;
  main_member_national_code: string;
  coverage_start: string;
  coverage_end: string;
  left_on: string | null;
  search_text: string;
}

/**
 * Folds one person's stored history (all their contracts) into one row per
 * contract. An update or departure ordered before the enrolment it refers to
 * has nothing to change yet; the enrolment, whenever it arrives, is applied
 * first and the later events on top of it.
 */
export function foldEnrollments(history: StoredEvent[]): EnrollmentRow[] {
  const rows = new Map<string, EnrollmentRow>();
  for (const { event } of history) {
    const data = event.data as unknown as MemberEnrolledData & MemberUpdatedData & MemberLeftData;
    const current = rows.get(data.contractNumber);
    switch (event.eventType) {
      case 'MemberEnrolled':
        rows.set(data.contractNumber, {
          national_code: data.nationalCode,
          contract_number: data.contractNumber,
          first_name: data.firstName,
          last_name: data.lastName,
          birth_date: data.birthDate,
          mobile: data.mobile,
          membership_type: data.membershipType,
          relation: data.relation,
          main_member_national_code: data.mainMemberNationalCode,
          coverage_start: data.coverageStart,
          coverage_end: data.coverageEnd,
          left_on: null,
          search_text: '',
        });
        break;
      case 'MemberUpdated':
        if (!current) break;
        if (data.firstName !== undefined) current.first_name = data.firstName;
        if (data.lastName !== undefined) current.last_name = data.lastName;
        if (data.mobile !== undefined) current.mobile = data.mobile;
        if (data.coverageEnd !== undefined) current.coverage_end = data.coverageEnd;
        break;
      case 'MemberLeft':
        if (current) current.left_on = data.leftOn;
        break;
    }
  }
  for (const row of rows.values()) row.search_text = normalizeForSearch(`${row.first_name} ${row.last_name} ${row.national_code}`);
  return [...rows.values()];
}

/**
 * Applies `insurer.members.v1` events to `registry_contracts` and
 * `registry_enrollments` inside the consumer's transaction. Each affected
 * contract and person is re-folded from the stored history (the inbox), so
 * duplicates, out-of-order delivery and a member enrolled before their
 * contract arrives all end in the same rows; enrolments are linked to their
 * contract by number, whenever the contract arrives.
 */
export async function applyMemberRegistryEvents(tx: SqlExecutor, events: ConsumedEvent[]): Promise<void> {
  await projectMemberRegistry(tx, subjectsOf(events, REGISTRY_CONTRACT_EVENTS), subjectsOf(events, REGISTRY_MEMBER_EVENTS));
}

/** Rebuilds both registry tables from every stored members event. */
export async function rebuildMemberRegistry(tx: SqlExecutor): Promise<void> {
  await tx.$executeRawUnsafe('DELETE FROM registry_enrollments');
  await tx.$executeRawUnsafe('DELETE FROM registry_contracts');
  await reprojectAll(tx, REGISTRY_CONTRACT_EVENTS, (contracts) => projectMemberRegistry(tx, contracts, []));
  await reprojectAll(tx, REGISTRY_MEMBER_EVENTS, (persons) => projectMemberRegistry(tx, [], persons));
}

/** Re-folds these contracts and persons from their stored history into the registry tables. */
export async function projectMemberRegistry(tx: SqlExecutor, contracts: string[], persons: string[]): Promise<void> {
  if (contracts.length > 0) {
    const history = await loadSubjectHistory(tx, REGISTRY_CONTRACT_EVENTS, contracts);
    const latest = latestBySubject(history).map((event) => event.data as unknown as ContractUpsertedData);
    await tx.$executeRawUnsafe(
      `INSERT INTO registry_contracts (contract_number, title, policyholder_name, insurer_code, insurer_name, start_date, end_date, status, updated_at)
       SELECT r."contractNumber", r.title, r."policyholderName", r."insurerCode", r."insurerName", r."startDate", r."endDate", r.status, now()
         FROM jsonb_to_recordset($1::jsonb) AS r("contractNumber" text, title text, "policyholderName" text, "insurerCode" text,
                                                 "insurerName" text, "startDate" date, "endDate" date, status text)
       ON CONFLICT (contract_number) DO UPDATE SET
         title = EXCLUDED.title, policyholder_name = EXCLUDED.policyholder_name, insurer_code = EXCLUDED.insurer_code,
         insurer_name = EXCLUDED.insurer_name, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
         status = EXCLUDED.status, updated_at = now()`,
      JSON.stringify(latest),
    );
  }

  if (persons.length > 0) {
    const history = await loadSubjectHistory(tx, REGISTRY_MEMBER_EVENTS, persons);
    const rows = [...groupBy(history, (h) => h.event.subject).values()].flatMap(foldEnrollments);
    if (rows.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO registry_enrollments (national_code, contract_number, first_name, last_name, birth_date, mobile, membership_type, relation,
                                         main_member_national_code, coverage_start, coverage_end, left_on, search_text, updated_at)
       SELECT r.national_code, r.contract_number, r.first_name, r.last_name, r.birth_date, r.mobile, r.membership_type, r.relation,
              r.main_member_national_code, r.coverage_start, r.coverage_end, r.left_on, r.search_text, now()
         FROM jsonb_to_recordset($1::jsonb) AS r(national_code text, contract_number text, first_name text, last_name text, birth_date date,
                                                 mobile text, membership_type text, relation text, main_member_national_code text,
                                                 coverage_start date, coverage_end date, left_on date, search_text text)
       ON CONFLICT (national_code, contract_number) DO UPDATE SET
         first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, birth_date = EXCLUDED.birth_date, mobile = EXCLUDED.mobile,
         membership_type = EXCLUDED.membership_type, relation = EXCLUDED.relation,
         main_member_national_code = EXCLUDED.main_member_national_code, coverage_start = EXCLUDED.coverage_start,
         coverage_end = EXCLUDED.coverage_end, left_on = EXCLUDED.left_on, search_text = EXCLUDED.search_text, updated_at = now()`,
      JSON.stringify(rows),
    );
  }
}
