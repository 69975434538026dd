import type { ContractEvent } from '@darman/contracts';
import type { StoredEvent } from '@darman/messaging';
import { normalizeForSearch } from '@darman/persian';

/** The events of a person's history the registry folds (`insurer.members.v1`). */
export type MemberEvent = ContractEvent<'MemberEnrolled' | 'MemberUpdated' | 'MemberLeft'>;

/** One row of `registry_enrollments`: a person under one contract. */
export interface EnrollmentRow {
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
          // Stryker disable next-line StringLiteral: a placeholder, always replaced below before the row is returned.
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
