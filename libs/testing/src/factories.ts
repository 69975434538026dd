import { randomInt } from 'node:crypto';
import type { NewEvent } from '@darman/contracts';
import { withNationalCodeCheckDigit } from '@darman/persian';

/** A random valid national code (never one with digits 4–9 all zero). */
export function newNationalCode(): string {
  return withNationalCodeCheckDigit(
    String(randomInt(1, 999_999_999))
      .padStart(9, '0')
      .replace(/^(\d{3})000000$/, '$1000001'),
  );
}

/** A random mobile in the stored form `09…`. */
export function newMobile(): string {
  return `091${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

export interface ContractFixture {
  contractNumber: string;
  insurerCode?: string;
  insurerName?: string;
  status?: 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';
  startDate?: string;
  endDate?: string;
}

export function contractUpserted(c: ContractFixture, sequence?: number): NewEvent {
  return {
    eventType: 'ContractUpserted',
    subject: c.contractNumber,
    sequence,
    data: {
      contractNumber: c.contractNumber,
      title: 'درمان تکمیلی کارکنان',
      policyholderName: 'شرکت آزمون',
      insurerCode: c.insurerCode ?? 'ASMARI',
      insurerName: c.insurerName ?? 'بیمه آسماری',
      startDate: c.startDate ?? '2024-03-20',
      endDate: c.endDate ?? '2030-03-20',
      status: c.status ?? 'ACTIVE',
    },
  };
}

export interface MemberFixture {
  nationalCode: string;
  contractNumber: string;
  mainMemberNationalCode: string;
  relation?: 'MAIN' | 'SPOUSE' | 'CHILD' | 'PARENT' | 'OTHER';
  firstName?: string;
  lastName?: string;
  mobile?: string;
  membershipType?: 'INSURANCE_COMPANY' | 'FUND' | 'GROUP';
  coverageStart?: string;
  coverageEnd?: string;
}

export function memberEnrolled(m: MemberFixture, sequence?: number): NewEvent {
  return {
    eventType: 'MemberEnrolled',
    subject: m.nationalCode,
    sequence,
    data: {
      nationalCode: m.nationalCode,
      firstName: m.firstName ?? 'علی',
      lastName: m.lastName ?? 'رضایی',
      birthDate: '1985-05-01',
      mobile: m.mobile ?? newMobile(),
      contractNumber: m.contractNumber,
      membershipType: m.membershipType ?? 'GROUP',
      relation: m.relation ?? (m.nationalCode === m.mainMemberNationalCode ? 'MAIN' : 'CHILD'),
      mainMemberNationalCode: m.mainMemberNationalCode,
      coverageStart: m.coverageStart ?? '2024-03-20',
      coverageEnd: m.coverageEnd ?? '2030-03-20',
    },
  };
}
