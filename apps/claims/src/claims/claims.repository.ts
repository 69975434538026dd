import { Inject, Injectable } from '@nestjs/common';
import type { ClaimsQueryDto } from '@darman/contracts';
import type { SqlExecutor } from '@darman/messaging';
import { normalizeForSearch } from '@darman/persian';
import { APP_CONFIG, jsonUpsertSql, queryPage, type PageHead } from '@darman/platform';
import type { ClaimsConfig } from '../config/claims.config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { ClaimState } from './claim-fold.js';

/** What the registry's list scope says about the contract a list answers for. */
export interface ListScopeHead extends Record<string, unknown> {
  scope_found: boolean;
  scope_visible: boolean;
  scope_active: boolean;
}

/** A claim as written: its folded state and the text `q` searches. */
export type ClaimWrite = ClaimState & { searchText: string };

/** The columns of `claims` a fold writes, listed once; `first_seen_at` keeps its default. */
const UPSERT_CLAIMS = jsonUpsertSql('claims', ['claim_id'], {
  claim_id: 'text',
  contract_number: 'text',
  patient_national_code: 'text',
  main_member_national_code: 'text',
  kind: 'text',
  reason: 'text',
  service_category: 'text',
  admission_date: 'date',
  registered_at: 'date',
  requested_amount: 'bigint',
  provider_id: 'text',
  referral_tracking_code: 'text',
  status: 'text',
  deductions_amount: 'bigint',
  covered_amount: 'bigint',
  franchise_amount: 'bigint',
  payable_amount: 'bigint',
  issued_at: 'date',
  return_letter_number: 'text',
  deduction_lines: 'jsonb',
  sent_to_bank_at: 'timestamptz',
  sent_amount: 'bigint',
  bank_reference: 'text',
  payee_iban_masked: 'text',
  rejected_at: 'date',
  rejection_reason: 'text',
  paid_at: 'timestamptz',
  trace_number: 'text',
  timeline: 'jsonb',
  search_text: 'text',
});

export interface ClaimRow {
  claim_id: string;
  contract_number: string;
  contract_title: string | null;
  patient_national_code: string;
  kind: 'REIMBURSEMENT' | 'DIRECT';
  reason: string;
  service_category: string | null;
  admission_date: string;
  registered_at: string;
  requested_amount: string;
  status: 'REGISTERED' | 'CALCULATED' | 'SENT_TO_BANK' | 'PAID' | 'REJECTED';
  deductions_amount: string | null;
  covered_amount: string | null;
  franchise_amount: string | null;
  payable_amount: string | null;
  issued_at: string | null;
  return_letter_number: string | null;
  deduction_lines: { description: string; amount: number }[] | null;
  sent_to_bank_at: Date | null;
  bank_reference: string | null;
  payee_iban_masked: string | null;
  rejection_reason: string | null;
  paid_at: Date | null;
  timeline: { status: string; at: string }[];
}

const COLUMNS = `c.claim_id, c.contract_number, rc.title AS contract_title, c.patient_national_code, c.kind, c.reason, c.service_category,
  to_char(c.admission_date, 'YYYY-MM-DD') AS admission_date, to_char(c.registered_at, 'YYYY-MM-DD') AS registered_at,
  c.requested_amount::text AS requested_amount, c.status, c.deductions_amount::text AS deductions_amount,
  c.covered_amount::text AS covered_amount, c.franchise_amount::text AS franchise_amount, c.payable_amount::text AS payable_amount,
  to_char(c.issued_at, 'YYYY-MM-DD') AS issued_at, c.return_letter_number, c.deduction_lines, c.sent_to_bank_at, c.bank_reference,
  c.payee_iban_masked, c.rejection_reason, c.paid_at, c.timeline`;

/**
 * The only code that touches the `claims` table: the read model's writes
 * (inside the consumer's transaction) and the member pages' queries.
 * Visibility rules are decided by the caller (ClaimsQueryService).
 */
@Injectable()
export class ClaimsRepository {
  constructor(
    private readonly db: PrismaService,
    @Inject(APP_CONFIG) private readonly config: Pick<ClaimsConfig, 'CLAIMS_VISIBILITY_DELAY_HOURS'>,
  ) {}

  /** Writes folded claims in one statement. */
  async upsert(tx: SqlExecutor, claims: ClaimWrite[]): Promise<void> {
    if (claims.length > 0) await tx.$executeRawUnsafe(UPSERT_CLAIMS, JSON.stringify(claims));
  }

  /** Empties the read model (a rebuild, in its transaction). */
  async deleteAll(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe('DELETE FROM claims');
  }

  /**
   * Claims of one person under the contract a list answers for (the registry's
   * `listScope`), newest admission first: the visibility rule and the page in
   * one statement. `head` says whether the contract was found, visible and
   * active; the page is empty unless it is all three.
   */
  list(
    person: string,
    scope: { head: PageHead; params: unknown[] },
    query: ClaimsQueryDto,
  ): Promise<{ rows: ClaimRow[]; total: number; head: ListScopeHead }> {
    const pattern = query.q ? `%${normalizeForSearch(query.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    return queryPage<ClaimRow, ListScopeHead>(
      this.db,
      `SELECT ${COLUMNS}
         FROM claims c LEFT JOIN registry_contracts rc ON rc.contract_number = c.contract_number
        WHERE c.patient_national_code = $1
          AND c.contract_number = (SELECT contract_number FROM scope WHERE visible AND active)
          AND ($2::text IS NULL OR c.status = $2) AND ($3::text IS NULL OR c.search_text LIKE $3)
          AND c.first_seen_at <= now() - make_interval(hours => $4)`,
      // admission_date is selected as YYYY-MM-DD text, which sorts as the date does.
      'admission_date DESC, claim_id DESC',
      [person, query.status ?? null, pattern, this.config.CLAIMS_VISIBILITY_DELAY_HOURS, ...scope.params],
      query,
      scope.head,
    );
  }

  async find(claimId: string): Promise<ClaimRow | null> {
    const rows = await this.db.$queryRawUnsafe<ClaimRow[]>(
      `SELECT ${COLUMNS} FROM claims c LEFT JOIN registry_contracts rc ON rc.contract_number = c.contract_number
        WHERE c.claim_id = $1 AND c.first_seen_at <= now() - make_interval(hours => $2)`,
      claimId,
      this.config.CLAIMS_VISIBILITY_DELAY_HOURS,
    );
    return rows[0] ?? null;
  }

  /** Claims in progress of the given persons under the given contracts. */
  async countInProgress(pairs: { nationalCode: string; contractNumber: string }[]): Promise<number> {
    if (pairs.length === 0) return 0;
    const [row] = await this.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM claims c
         JOIN jsonb_to_recordset($1::jsonb) AS p("nationalCode" text, "contractNumber" text)
           ON c.patient_national_code = p."nationalCode" AND c.contract_number = p."contractNumber"
        WHERE c.status IN ('REGISTERED', 'CALCULATED', 'SENT_TO_BANK')
          AND c.first_seen_at <= now() - make_interval(hours => $2)`,
      JSON.stringify(pairs),
      this.config.CLAIMS_VISIBILITY_DELAY_HOURS,
    );
    return row?.n ?? 0;
  }
}
