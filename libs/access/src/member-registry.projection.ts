import { Injectable } from '@nestjs/common';
import type { ContractEvent } from '@darman/contracts';
import {
  groupBy,
  latestBySubject,
  loadSubjectHistory,
  reprojectAll,
  subjectsOf,
  type SqlExecutor,
  type StoredEvent,
} from '@darman/messaging';
import { normalizeForSearch } from '@darman/persian';
import { jsonUpsertSql } from '@darman/platform';

/** Event types of `insurer.members.v1` that the member registry folds. */
export const REGISTRY_CONTRACT_EVENTS = ['ContractUpserted'] as const;
export const REGISTRY_MEMBER_EVENTS = ['MemberEnrolled', 'MemberUpdated', 'MemberLeft'] as const;

export type RegistryEventType = (typeof REGISTRY_CONTRACT_EVENTS)[number] | (typeof REGISTRY_MEMBER_EVENTS)[number];
type MemberEvent = ContractEvent<(typeof REGISTRY_MEMBER_EVENTS)[number]>;

interface EnrollmentRow {
  nationalCode: string;
  contractNumber: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  mobile: string;
  membershipType: string;
  relation: string;
  mainMemberNationalCode: string;
  coverageStart: string;
  coverageEnd: string;
  leftOn: string | null;
  searchText: string;
}

/** The registry tables, their columns listed once (libs/access owns them; prisma/registry.prisma defines them). */
const UPSERT_CONTRACTS = jsonUpsertSql('registry_contracts', ['contract_number'], {
  contract_number: 'text',
  title: 'text',
  policyholder_name: 'text',
  insurer_code: 'text',
  insurer_name: 'text',
  start_date: 'date',
  end_date: 'date',
  status: 'text',
});
const UPSERT_ENROLLMENTS = jsonUpsertSql('registry_enrollments', ['national_code', 'contract_number'], {
  national_code: 'text',
  contract_number: 'text',
  first_name: 'text',
  last_name: 'text',
  birth_date: 'date',
  mobile: 'text',
  membership_type: 'text',
  relation: 'text',
  main_member_national_code: 'text',
  coverage_start: 'date',
  coverage_end: 'date',
  left_on: 'date',
  search_text: 'text',
});

/**
 * Folds one person's stored history (all their contracts) into one row per
 * contract. An update or departure ordered before the enrolment it refers to
 * has nothing to change yet; the enrolment, whenever it arrives, is applied
 * first and the later events on top of it.
 */
export function foldEnrollments(history: readonly StoredEvent<MemberEvent>[]): EnrollmentRow[] {
  const rows = new Map<string, EnrollmentRow>();
  for (const { event } of history) {
    const current = rows.get(event.data.contractNumber);
    switch (event.eventType) {
      case 'MemberEnrolled': {
        const d = event.data;
        rows.set(d.contractNumber, {
          nationalCode: d.nationalCode,
          contractNumber: d.contractNumber,
          firstName: d.firstName,
          lastName: d.lastName,
          birthDate: d.birthDate,
          mobile: d.mobile,
          membershipType: d.membershipType,
          relation: d.relation,
          mainMemberNationalCode: d.mainMemberNationalCode,
          coverageStart: d.coverageStart,
          coverageEnd: d.coverageEnd,
          leftOn: null,
          searchText: '',
        });
        break;
      }
      case 'MemberUpdated':
        if (!current) break;
        if (event.data.firstName !== undefined) current.firstName = event.data.firstName;
        if (event.data.lastName !== undefined) current.lastName = event.data.lastName;
        if (event.data.mobile !== undefined) current.mobile = event.data.mobile;
        if (event.data.coverageEnd !== undefined) current.coverageEnd = event.data.coverageEnd;
        break;
      case 'MemberLeft':
        if (current) current.leftOn = event.data.leftOn;
        break;
    }
  }
  for (const row of rows.values()) row.searchText = normalizeForSearch(`${row.firstName} ${row.lastName} ${row.nationalCode}`);
  return [...rows.values()];
}

/**
 * Writes the member registry (`registry_contracts`, `registry_enrollments`)
 * from `insurer.members.v1` inside the consumer's transaction. Each affected
 * contract and person is re-folded from the stored history (the inbox), so
 * duplicates, out-of-order delivery and a member enrolled before their
 * contract arrives all end in the same rows; enrolments are linked to their
 * contract by number, whenever the contract arrives. MemberRegistry reads
 * what this writes.
 */
@Injectable()
export class MemberRegistryProjection {
  async apply(tx: SqlExecutor, events: readonly ContractEvent<RegistryEventType>[]): Promise<void> {
    await this.project(tx, subjectsOf(events, REGISTRY_CONTRACT_EVENTS), subjectsOf(events, REGISTRY_MEMBER_EVENTS));
  }

  /** Rebuilds both registry tables from every stored members event. */
  async rebuild(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe('DELETE FROM registry_enrollments');
    await tx.$executeRawUnsafe('DELETE FROM registry_contracts');
    await reprojectAll(tx, REGISTRY_CONTRACT_EVENTS, (contracts) => this.project(tx, contracts, []));
    await reprojectAll(tx, REGISTRY_MEMBER_EVENTS, (persons) => this.project(tx, [], persons));
  }

  /** Re-folds these contracts and persons from their stored history into the registry tables. */
  async project(tx: SqlExecutor, contracts: string[], persons: string[]): Promise<void> {
    if (contracts.length > 0) {
      const history = await loadSubjectHistory(tx, REGISTRY_CONTRACT_EVENTS, contracts);
      await tx.$executeRawUnsafe(UPSERT_CONTRACTS, JSON.stringify(latestBySubject(history).map((event) => event.data)));
    }
    if (persons.length > 0) {
      const history = await loadSubjectHistory(tx, REGISTRY_MEMBER_EVENTS, persons);
      const rows = [...groupBy(history, (h) => h.event.subject).values()].flatMap(foldEnrollments);
      if (rows.length > 0) await tx.$executeRawUnsafe(UPSERT_ENROLLMENTS, JSON.stringify(rows));
    }
  }
}
