import { Injectable } from '@nestjs/common';
import type { ContractEvent } from '@darman/contracts';
import { groupBy, latestBySubject, loadSubjectHistory, reprojectAll, subjectsOf, type SqlExecutor } from '@darman/messaging';
import { jsonUpsertSql } from '@darman/platform';
import { foldEnrollments } from './enrollment-fold.js';

/** Event types of `insurer.members.v1` that the member registry folds. */
export const REGISTRY_CONTRACT_EVENTS = ['ContractUpserted'] as const;
export const REGISTRY_MEMBER_EVENTS = ['MemberEnrolled', 'MemberUpdated', 'MemberLeft'] as const;

export type RegistryEventType = (typeof REGISTRY_CONTRACT_EVENTS)[number] | (typeof REGISTRY_MEMBER_EVENTS)[number];

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
