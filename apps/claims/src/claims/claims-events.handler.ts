import { Injectable } from '@nestjs/common';
import { applyMemberRegistryEvents, rebuildMemberRegistry } from '@darman/access';
import {
  groupBy,
  loadSubjectHistory,
  reprojectAll,
  subjectsOf,
  type ConsumedEvent,
  type EventHandler,
  type HandlerRejection,
  type RebuildableProjection,
  type SqlExecutor,
} from '@darman/messaging';
import { normalizeForSearch } from '@darman/persian';
import { CLAIM_EVENT_TYPES, foldClaim, type ClaimRejection, type ClaimState } from './claim-fold.js';

function row(state: ClaimState) {
  return {
    ...state,
    searchText: normalizeForSearch([state.reason, state.claimId, state.returnLetterNumber, state.bankReference].filter(Boolean).join(' ')),
  };
}

/**
 * The claims service's consumer: `insurer.members.v1` feeds its copy of the
 * member registry (who may see whom, which contracts are active), and
 * `insurer.claims.v1` the claim read model. Each batch re-folds every claim it
 * touches from the stored events, in one set-based upsert; events the fold
 * refuses against state leave the event store for the DLQ.
 */
@Injectable()
export class ClaimsEventsHandler implements EventHandler, RebuildableProjection {
  /** Bump when the fold or the table changes: the read model is then rebuilt from the stored events at start. */
  readonly projection = { name: 'claims-read-model', version: 1 };

  async handle(events: ConsumedEvent[], tx: SqlExecutor): Promise<{ rejected: HandlerRejection[] }> {
    await applyMemberRegistryEvents(tx, events);
    return { rejected: await this.project(tx, subjectsOf(events, CLAIM_EVENT_TYPES)) };
  }

  async rebuild(tx: SqlExecutor): Promise<void> {
    await rebuildMemberRegistry(tx);
    await tx.$executeRawUnsafe('DELETE FROM claims');
    await reprojectAll(tx, CLAIM_EVENT_TYPES, (claimIds) => this.project(tx, claimIds));
  }

  /** Re-folds these claims from their stored history and writes them in one statement; returns the events refused. */
  async project(tx: SqlExecutor, claimIds: string[]): Promise<ClaimRejection[]> {
    if (claimIds.length === 0) return [];
    const history = await loadSubjectHistory(tx, CLAIM_EVENT_TYPES, claimIds);
    const rows: ReturnType<typeof row>[] = [];
    const rejections: ClaimRejection[] = [];
    for (const list of groupBy(history, (h) => h.event.subject).values()) {
      const folded = foldClaim(list.map((h) => h.event));
      if (folded.state) rows.push(row(folded.state));
      rejections.push(...folded.rejections);
    }
    if (rows.length === 0) return rejections;
    await tx.$executeRawUnsafe(
      `INSERT INTO claims (claim_id, contract_number, patient_national_code, main_member_national_code, kind, reason, service_category,
                           admission_date, registered_at, requested_amount, provider_id, referral_tracking_code, status,
                           deductions_amount, covered_amount, franchise_amount, payable_amount, issued_at, return_letter_number,
                           deduction_lines, sent_to_bank_at, sent_amount, bank_reference, payee_iban_masked, rejected_at,
                           rejection_reason, paid_at, trace_number, timeline, search_text, updated_at)
       SELECT r."claimId", r."contractNumber", r."patientNationalCode", r."mainMemberNationalCode", r.kind, r.reason, r."serviceCategory",
              r."admissionDate", r."registeredAt", r."requestedAmount", r."providerId", r."referralTrackingCode", r.status,
              r."deductionsAmount", r."coveredAmount", r."franchiseAmount", r."payableAmount", r."issuedAt", r."returnLetterNumber",
              r."deductionLines", r."sentToBankAt", r."sentAmount", r."bankReference", r."payeeIbanMasked", r."rejectedAt",
              r."rejectionReason", r."paidAt", r."traceNumber", r.timeline, r."searchText", now()
         FROM jsonb_to_recordset($1::jsonb) AS r(
              "claimId" text, "contractNumber" text, "patientNationalCode" text, "mainMemberNationalCode" text, kind text, reason text,
              "serviceCategory" text, "admissionDate" date, "registeredAt" date, "requestedAmount" bigint, "providerId" text,
              "referralTrackingCode" text, status text, "deductionsAmount" bigint, "coveredAmount" bigint, "franchiseAmount" bigint,
              "payableAmount" bigint, "issuedAt" date, "returnLetterNumber" text, "deductionLines" jsonb, "sentToBankAt" timestamptz,
              "sentAmount" bigint, "bankReference" text, "payeeIbanMasked" text, "rejectedAt" date, "rejectionReason" text,
              "paidAt" timestamptz, "traceNumber" text, timeline jsonb, "searchText" text)
       ON CONFLICT (claim_id) DO UPDATE SET
         contract_number = EXCLUDED.contract_number, patient_national_code = EXCLUDED.patient_national_code,
         main_member_national_code = EXCLUDED.main_member_national_code, kind = EXCLUDED.kind, reason = EXCLUDED.reason,
         service_category = EXCLUDED.service_category, admission_date = EXCLUDED.admission_date, registered_at = EXCLUDED.registered_at,
         requested_amount = EXCLUDED.requested_amount, provider_id = EXCLUDED.provider_id,
         referral_tracking_code = EXCLUDED.referral_tracking_code, status = EXCLUDED.status,
         deductions_amount = EXCLUDED.deductions_amount, covered_amount = EXCLUDED.covered_amount,
         franchise_amount = EXCLUDED.franchise_amount, payable_amount = EXCLUDED.payable_amount, issued_at = EXCLUDED.issued_at,
         return_letter_number = EXCLUDED.return_letter_number, deduction_lines = EXCLUDED.deduction_lines,
         sent_to_bank_at = EXCLUDED.sent_to_bank_at, sent_amount = EXCLUDED.sent_amount, bank_reference = EXCLUDED.bank_reference,
         payee_iban_masked = EXCLUDED.payee_iban_masked, rejected_at = EXCLUDED.rejected_at,
         rejection_reason = EXCLUDED.rejection_reason, paid_at = EXCLUDED.paid_at, trace_number = EXCLUDED.trace_number,
         timeline = EXCLUDED.timeline, search_text = EXCLUDED.search_text, updated_at = now()`,
      JSON.stringify(rows),
    );
    return rejections;
  }
}
