import { Inject, Injectable } from '@nestjs/common';
import { MemberRegistry, type Caller } from '@darman/access';
import type { ClaimDetailDto, ClaimListItemDto, ClaimsQueryDto, ClaimsSummaryDto, Page } from '@darman/contracts';
import { BusinessCalendar, formatTehran, toJalali, toJalaliInstant } from '@darman/persian';
import { APP_CONFIG, CommonErrors } from '@darman/platform';
import type { ClaimsConfig } from '../config/claims.config.js';
import { ClaimsRepository, type ClaimRow } from './claims.repository.js';

const money = (value: string | null) => (value === null ? null : Number(value));

/** `YYYY-MM-DD` → Jalali; a date-time → the Jalali date it falls on in Tehran. */
const jalaliOf = (value: string) => (value.length === 10 ? toJalali(value) : toJalaliInstant(new Date(value)));

function listItem(row: ClaimRow): ClaimListItemDto {
  return {
    claimId: row.claim_id,
    contractNumber: row.contract_number,
    contractTitle: row.contract_title,
    admissionDate: row.admission_date,
    admissionDateJalali: toJalali(row.admission_date),
    reason: row.reason,
    kind: row.kind,
    status: row.status,
    requestedAmount: Number(row.requested_amount),
    payableAmount: money(row.payable_amount),
    patientNationalCode: row.patient_national_code,
  };
}

/**
 * What a member may see of claims (DOMAIN.md): their own and, as a main
 * member, their dependents', under active contracts for lists; anything else
 * answers 404, the same as a claim that does not exist.
 */
@Injectable()
export class ClaimsQueryService {
  private readonly cycles: string[];

  constructor(
    private readonly registry: MemberRegistry,
    private readonly repository: ClaimsRepository,
    private readonly calendar: BusinessCalendar,
    @Inject(APP_CONFIG) private readonly config: Pick<ClaimsConfig, 'PAYMENT_SLA_BUSINESS_DAYS' | 'PAYA_CYCLES'>,
  ) {
    this.cycles = config.PAYA_CYCLES.split(',');
  }

  async list(caller: Caller, query: ClaimsQueryDto): Promise<Page<ClaimListItemDto>> {
    const person = query.nationalCode ?? caller.nationalCode;
    // The contract (named, or the caller's first active one), whether the caller may see the person under it,
    // and the page: one statement.
    const scope = this.registry.listScope(caller, person, query.contractNumber, 5);
    const { rows, total, head } = await this.repository.list(person, scope, query);
    const empty = { items: [], page: query.page, pageSize: query.pageSize, total: 0 };
    if (!head.scope_found) {
      if (query.contractNumber) throw CommonErrors.notFound();
      return empty;
    }
    if (!head.scope_visible) throw CommonErrors.notFound();
    // The seed: claims are reported for active contracts only.
    if (!head.scope_active) return empty;
    return { items: rows.map(listItem), page: query.page, pageSize: query.pageSize, total };
  }

  async detail(caller: Caller, claimId: string): Promise<ClaimDetailDto> {
    const row = await this.repository.find(claimId);
    if (!row || !(await this.registry.canSee(caller, row.patient_national_code, row.contract_number))) throw CommonErrors.notFound();
    const dueBy =
      row.kind === 'REIMBURSEMENT' && row.issued_at
        ? this.calendar.addBusinessDays(row.issued_at, this.config.PAYMENT_SLA_BUSINESS_DAYS)
        : null;
    const sentAt = row.sent_to_bank_at?.toISOString() ?? null;
    return {
      ...listItem(row),
      registeredAt: row.registered_at,
      registeredAtJalali: toJalali(row.registered_at),
      issuedAt: row.issued_at,
      issuedAtJalali: row.issued_at ? toJalali(row.issued_at) : null,
      sentToBankAt: row.sent_to_bank_at ? formatTehran(row.sent_to_bank_at) : null,
      sentToBankAtJalali: sentAt ? jalaliOf(sentAt) : null,
      paidAt: row.paid_at ? formatTehran(row.paid_at) : null,
      paidAtJalali: row.paid_at ? jalaliOf(row.paid_at.toISOString()) : null,
      deductionsAmount: money(row.deductions_amount),
      coveredAmount: money(row.covered_amount),
      franchiseAmount: money(row.franchise_amount),
      deductionLines: row.deduction_lines,
      returnLetterNumber: row.return_letter_number,
      bankReference: row.bank_reference,
      payeeIbanMasked: row.payee_iban_masked,
      rejectionReason: row.rejection_reason,
      serviceCategory: row.service_category,
      timeline: row.timeline.map((t) => ({ status: t.status, at: t.at, atJalali: jalaliOf(t.at) })),
      payment:
        row.kind === 'REIMBURSEMENT'
          ? {
              dueBy,
              dueByJalali: dueBy ? toJalali(dueBy) : null,
              expectedDepositAt: row.sent_to_bank_at ? formatTehran(this.calendar.nextCycle(row.sent_to_bank_at, this.cycles)) : null,
            }
          : null,
    };
  }

  /** For the home page: claims in progress of everyone the caller may see under their active contracts. */
  async summary(caller: Caller): Promise<ClaimsSummaryDto> {
    const pairs: { nationalCode: string; contractNumber: string }[] = [];
    for (const contract of (await this.registry.contractsOf(caller)).filter((c) => c.active)) {
      for (const nationalCode of await this.registry.visibleNationalCodes(caller, contract.contractNumber)) {
        pairs.push({ nationalCode, contractNumber: contract.contractNumber });
      }
    }
    return { inProgress: await this.repository.countInProgress(pairs) };
  }
}
