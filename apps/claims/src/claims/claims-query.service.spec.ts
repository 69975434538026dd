// Who sees which claims (DOMAIN.md), decided by ClaimsQueryService over mocked
// repositories: the member registry and the claims table.
import { jest } from '@jest/globals';
import type { Caller, EnrolledContract, MemberRegistry } from '@darman/access';
import type { ClaimsQueryDto } from '@darman/contracts';
import { BusinessCalendar } from '@darman/persian';
import { AppError } from '@darman/platform';
import { ClaimsQueryService } from './claims-query.service.js';
import type { ClaimRow, ClaimsRepository } from './claims.repository.js';

const main: Caller = { nationalCode: '0499370899', membershipType: 'GROUP', sessionId: 's1' };
const child = '0499370910';
const stranger = '0012345679';

const contract = (contractNumber: string, active: boolean): EnrolledContract => ({
  contractNumber,
  title: 'درمان تکمیلی',
  policyholderName: 'شرکت',
  insurerCode: 'ASMARI',
  insurerName: 'بیمه آسماری',
  startDate: '2024-03-20',
  endDate: '2030-03-20',
  status: active ? 'ACTIVE' : 'TERMINATED',
  active,
  relation: 'MAIN',
});

const row = (claimId: string, patient: string, contractNumber = 'C-ACTIVE'): ClaimRow => ({
  claim_id: claimId,
  contract_number: contractNumber,
  contract_title: 'درمان تکمیلی',
  patient_national_code: patient,
  kind: 'REIMBURSEMENT',
  reason: 'عینک',
  service_category: null,
  admission_date: '2019-09-05',
  registered_at: '2019-09-10',
  requested_amount: '8500000',
  status: 'REGISTERED',
  deductions_amount: null,
  covered_amount: null,
  franchise_amount: null,
  payable_amount: null,
  issued_at: null,
  return_letter_number: null,
  deduction_lines: null,
  sent_to_bank_at: null,
  bank_reference: null,
  payee_iban_masked: null,
  rejection_reason: null,
  paid_at: null,
  timeline: [{ status: 'REGISTERED', at: '2019-09-10' }],
});

/**
 * The registry's list scope as its SQL decides it (member-registry.int-spec.ts tests that statement against
 * PostgreSQL): the named contract or the first active one, whether the person is visible, whether it is active.
 */
function scopeOf(contracts: EnrolledContract[], visible: Record<string, string[]>, person: string, contractNumber?: string) {
  const chosen = contractNumber ? contracts.find((c) => c.contractNumber === contractNumber) : contracts.find((c) => c.active);
  return {
    contractNumber: chosen?.contractNumber,
    head: {
      scope_found: chosen !== undefined,
      scope_visible: chosen !== undefined && (visible[chosen.contractNumber] ?? []).includes(person),
      scope_active: chosen?.active === true,
    },
  };
}

function setup(contracts: EnrolledContract[], visible: Record<string, string[]>) {
  const registry = {
    listScope: jest.fn((_c: Caller, person: string, contractNumber: string | undefined) => ({
      head: { ctes: '', columns: {} },
      params: [scopeOf(contracts, visible, person, contractNumber)],
    })),
    contractsOf: jest.fn(async () => contracts),
    canSee: jest.fn(async (_c: Caller, person: string, contractNumber: string) => (visible[contractNumber] ?? []).includes(person)),
    visibleNationalCodes: jest.fn(async (_c: Caller, contractNumber: string) => visible[contractNumber] ?? []),
  };
  const claims = {
    list: jest.fn(async (person: string, scope: { params: unknown[] }) => {
      const { contractNumber, head } = scope.params[0] as ReturnType<typeof scopeOf>;
      const shown = head.scope_visible && head.scope_active;
      return { rows: shown ? [row(`K-${person}`, person, contractNumber)] : [], total: shown ? 1 : 0, head };
    }),
    find: jest.fn(async (claimId: string) =>
      claimId === 'K-child' ? row('K-child', child) : claimId === 'K-x' ? row('K-x', stranger) : null,
    ),
    countInProgress: jest.fn(async (pairs: unknown[]) => pairs.length),
  };
  const service = new ClaimsQueryService(
    registry as unknown as MemberRegistry,
    claims as unknown as ClaimsRepository,
    new BusinessCalendar({ holidays: [], thursdayIsBusinessDay: false }),
    { PAYMENT_SLA_BUSINESS_DAYS: 15, PAYA_CYCLES: '15:45' },
  );
  return { service, registry, claims };
}

const query = (q: Partial<ClaimsQueryDto> = {}) => ({ page: 1, pageSize: 10, ...q }) as ClaimsQueryDto;
const notFound = expect.objectContaining({ code: 'NOT_FOUND', statusCode: 404 });

describe('ClaimsQueryService: who sees which claims', () => {
  const family = { 'C-ACTIVE': [main.nationalCode, child], 'C-OLD': [main.nationalCode, child] };

  it("lists the caller's own claims under their active contract by default", async () => {
    const { service } = setup([contract('C-OLD', false), contract('C-ACTIVE', true)], family);
    const page = await service.list(main, query());
    expect(page.items.map((c) => c.claimId)).toEqual([`K-${main.nationalCode}`]);
    expect(page.items[0]!.contractNumber).toBe('C-ACTIVE');
  });

  it("lists a dependent's claims for the main member", async () => {
    const { service } = setup([contract('C-ACTIVE', true)], family);
    expect((await service.list(main, query({ nationalCode: child }))).items.map((c) => c.patientNationalCode)).toEqual([child]);
  });

  it('answers 404 for a person the caller may not see', async () => {
    const { service } = setup([contract('C-ACTIVE', true)], family);
    await expect(service.list(main, query({ nationalCode: stranger }))).rejects.toEqual(notFound);
  });

  it('answers 404 for a contract the caller is not enrolled in', async () => {
    const { service } = setup([contract('C-ACTIVE', true)], family);
    await expect(service.list(main, query({ contractNumber: 'C-OTHER' }))).rejects.toBeInstanceOf(AppError);
    await expect(service.list(main, query({ contractNumber: 'C-OTHER' }))).rejects.toEqual(notFound);
  });

  it('gives an empty list, not 404, for an inactive contract of the caller (claims show for active contracts only)', async () => {
    const { service } = setup([contract('C-OLD', false)], family);
    expect(await service.list(main, query({ contractNumber: 'C-OLD' }))).toEqual({ items: [], page: 1, pageSize: 10, total: 0 });
  });

  it('gives an empty list when the caller has no active contract and names none', async () => {
    const { service } = setup([contract('C-OLD', false)], family);
    expect((await service.list(main, query())).total).toBe(0);
  });

  it('shows a claim of a visible person and answers 404 alike for an unknown claim and one of a stranger', async () => {
    const { service } = setup([contract('C-ACTIVE', true)], family);
    expect((await service.detail(main, 'K-child')).patientNationalCode).toBe(child);
    await expect(service.detail(main, 'K-none')).rejects.toEqual(notFound);
    await expect(service.detail(main, 'K-x')).rejects.toEqual(notFound);
  });

  it("counts in-progress claims of everyone visible under the caller's active contracts only", async () => {
    const { service, claims } = setup([contract('C-ACTIVE', true), contract('C-OLD', false)], family);
    expect(await service.summary(main)).toEqual({ inProgress: 2 });
    expect(claims.countInProgress).toHaveBeenCalledWith([
      { nationalCode: main.nationalCode, contractNumber: 'C-ACTIVE' },
      { nationalCode: child, contractNumber: 'C-ACTIVE' },
    ]);
  });
});
