import { Inject, Injectable } from '@nestjs/common';
import type { DocumentKind, ReferralCategory } from '@darman/contracts';
import type { SqlExecutor } from '@darman/messaging';
import { DATABASE, queryPage } from '@darman/platform';
import type { ReferralState, ReferralStatus } from './referral-state.js';

/** What is fixed when a request is made. */
export interface ReferralRequest {
  trackingCode: string;
  patientNationalCode: string;
  mainMemberNationalCode: string;
  contractNumber: string;
  providerId: string;
  providerName: string;
  admissionDate: string;
  doctorName: string;
  reason: string;
  serviceCategory: ReferralCategory;
  examRequired: boolean;
  requestedBy: string;
  requestedAt: string;
}

export type ReferralRecord = ReferralRequest & { state: ReferralState; approvedProviderName?: string };

export interface AttachmentMeta {
  id: string;
  kind: DocumentKind;
  contentType: string;
  size: number;
  sha256: string;
  label: string;
  addedAt: string;
}

export interface ReferralListItem {
  trackingCode: string;
  requestedAt: string;
  admissionDate: string;
  doctorName: string;
  reason: string;
  providerName: string;
  status: ReferralStatus;
}

interface Row {
  tracking_code: string;
  patient_national_code: string;
  main_member_national_code: string;
  contract_number: string;
  provider_id: string;
  provider_name: string;
  admission_date: string;
  doctor_name: string;
  reason: string;
  service_category: ReferralCategory;
  exam_required: boolean;
  requested_by: string;
  requested_at: string;
  status: ReferralStatus;
  requested_documents: ReferralState['requestedDocuments'];
  documents_due_by: string | null;
  exam_at: string | null;
  exam_place: string | null;
  letter_number: string | null;
  valid_from: string | null;
  valid_until: string | null;
  approved_provider_id: string | null;
  approved_provider_name: string | null;
  decision_note: string | null;
  rejection_reason: string | null;
  rejection_code: string | null;
  cancel_reason: string | null;
  last_decision_sequence: string | null;
  last_decision_at: string | null;
  timeline: ReferralState['timeline'];
}

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const COLUMNS = `tracking_code, patient_national_code, main_member_national_code, contract_number, provider_id, provider_name,
  to_char(admission_date, 'YYYY-MM-DD') AS admission_date, doctor_name, reason, service_category, exam_required, requested_by,
  to_char(requested_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS requested_at, status, requested_documents,
  to_char(documents_due_by, 'YYYY-MM-DD') AS documents_due_by, to_char(exam_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS exam_at,
  exam_place, letter_number, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until,
  approved_provider_id, approved_provider_name, decision_note, rejection_reason, rejection_code, cancel_reason,
  last_decision_sequence::text AS last_decision_sequence,
  to_char(last_decision_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS last_decision_at, timeline`;

const orUndefined = <T>(value: T | null): T | undefined => value ?? undefined;

function toRecord(r: Row): ReferralRecord {
  return {
    trackingCode: r.tracking_code,
    patientNationalCode: r.patient_national_code,
    mainMemberNationalCode: r.main_member_national_code,
    contractNumber: r.contract_number,
    providerId: r.provider_id,
    providerName: r.provider_name,
    admissionDate: r.admission_date,
    doctorName: r.doctor_name,
    reason: r.reason,
    serviceCategory: r.service_category,
    examRequired: r.exam_required,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    approvedProviderName: orUndefined(r.approved_provider_name),
    state: {
      status: r.status,
      requestedDocuments: r.requested_documents,
      documentsDueBy: orUndefined(r.documents_due_by),
      examAt: orUndefined(r.exam_at),
      examPlace: orUndefined(r.exam_place),
      letterNumber: orUndefined(r.letter_number),
      validFrom: orUndefined(r.valid_from),
      validUntil: orUndefined(r.valid_until),
      approvedProviderId: orUndefined(r.approved_provider_id),
      decisionNote: orUndefined(r.decision_note),
      rejectionReason: orUndefined(r.rejection_reason),
      rejectionCode: orUndefined(r.rejection_code),
      cancelReason: orUndefined(r.cancel_reason),
      lastDecision: r.last_decision_at
        ? { sequence: r.last_decision_sequence === null ? undefined : Number(r.last_decision_sequence), occurredAt: r.last_decision_at }
        : undefined,
      timeline: r.timeline,
    },
  };
}

/** The referrals table and its attachments' metadata (the bytes are AttachmentStore's). */
@Injectable()
export class ReferralsRepository {
  constructor(@Inject(DATABASE) private readonly db: SqlExecutor) {}

  /**
   * Serialises everything done to one tracking code, whether a request being
   * made (HTTP) or a decision arriving (Kafka): each takes this lock first, so
   * a decision stored while its request commits is seen by one of the two.
   */
  async lock(tx: SqlExecutor, trackingCode: string): Promise<void> {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended('referral:' || $1, 0))`, trackingCode);
  }

  async find(trackingCode: string, tx: SqlExecutor = this.db): Promise<ReferralRecord | null> {
    const [row] = await tx.$queryRawUnsafe<Row[]>(`SELECT ${COLUMNS} FROM referrals WHERE tracking_code = $1`, trackingCode);
    return row ? toRecord(row) : null;
  }

  async findMany(tx: SqlExecutor, trackingCodes: string[]): Promise<ReferralRecord[]> {
    const rows = await tx.$queryRawUnsafe<Row[]>(`SELECT ${COLUMNS} FROM referrals WHERE tracking_code = ANY($1::text[])`, trackingCodes);
    return rows.map(toRecord);
  }

  async insert(tx: SqlExecutor, request: ReferralRequest, state: ReferralState): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO referrals (tracking_code, patient_national_code, main_member_national_code, contract_number, provider_id,
         provider_name, admission_date, doctor_name, reason, service_category, exam_required, requested_by, requested_at,
         status, timeline, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10, $11, $12, $13::timestamptz, $14, $15::jsonb, now())`,
      request.trackingCode,
      request.patientNationalCode,
      request.mainMemberNationalCode,
      request.contractNumber,
      request.providerId,
      request.providerName,
      request.admissionDate,
      request.doctorName,
      request.reason,
      request.serviceCategory,
      request.examRequired,
      request.requestedBy,
      request.requestedAt,
      state.status,
      JSON.stringify(state.timeline),
    );
  }

  /** Writes a request's changing part; `approvedProviderName` is the name of the approved centre when there is one. */
  async saveState(tx: SqlExecutor, trackingCode: string, s: ReferralState, approvedProviderName?: string): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE referrals SET status = $2, requested_documents = $3::jsonb, documents_due_by = $4::date, exam_at = $5::timestamptz,
              exam_place = $6, letter_number = $7, valid_from = $8::date, valid_until = $9::date, approved_provider_id = $10,
              approved_provider_name = $11, decision_note = $12, rejection_reason = $13, rejection_code = $14, cancel_reason = $15,
              last_decision_sequence = $16::bigint, last_decision_at = $17::timestamptz, timeline = $18::jsonb, updated_at = now()
        WHERE tracking_code = $1`,
      trackingCode,
      s.status,
      JSON.stringify(s.requestedDocuments),
      s.documentsDueBy ?? null,
      s.examAt ?? null,
      s.examPlace ?? null,
      s.letterNumber ?? null,
      s.validFrom ?? null,
      s.validUntil ?? null,
      s.approvedProviderId ?? null,
      approvedProviderName ?? null,
      s.decisionNote ?? null,
      s.rejectionReason ?? null,
      s.rejectionCode ?? null,
      s.cancelReason ?? null,
      s.lastDecision?.sequence ?? null,
      s.lastDecision?.occurredAt ?? null,
      JSON.stringify(s.timeline),
    );
  }

  /** One page of a person's requests under the contracts given, newest first (the seed's columns). */
  async list(
    patientNationalCode: string,
    contractNumbers: string[],
    status: ReferralStatus | undefined,
    page: { page: number; pageSize: number },
  ): Promise<{ items: ReferralListItem[]; total: number }> {
    const { rows, total } = await queryPage<ReferralListItem>(
      this.db,
      `SELECT tracking_code AS "trackingCode", to_char(requested_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS "requestedAt",
              to_char(admission_date, 'YYYY-MM-DD') AS "admissionDate", doctor_name AS "doctorName", reason,
              provider_name AS "providerName", status
         FROM referrals
        WHERE patient_national_code = $1 AND contract_number = ANY($2::text[]) AND ($3::text IS NULL OR status = $3)`,
      `"requestedAt" DESC, "trackingCode"`,
      [patientNationalCode, contractNumbers, status ?? null],
      page,
    );
    return { items: rows, total };
  }

  async attachments(trackingCode: string, tx: SqlExecutor = this.db): Promise<AttachmentMeta[]> {
    return tx.$queryRawUnsafe<AttachmentMeta[]>(
      `SELECT id::text, kind, content_type AS "contentType", size, sha256, label,
              to_char(added_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS "addedAt"
         FROM referral_attachments WHERE tracking_code = $1
        ORDER BY added_at, array_position(ARRAY['PRESCRIPTION', 'NATIONAL_CARD', 'MEDICAL_REPORT', 'IMAGING', 'OTHER'], kind), label, id`,
      trackingCode,
    );
  }

  /** Requests in open states, for the home page's count: those of the given persons under the given contracts. */
  async countOpen(pairs: { nationalCode: string; contractNumber: string }[]): Promise<number> {
    if (pairs.length === 0) return 0;
    const [row] = await this.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM referrals r
         JOIN unnest($1::text[], $2::text[]) AS v(national_code, contract_number)
           ON v.national_code = r.patient_national_code AND v.contract_number = r.contract_number
        WHERE r.status IN ('SUBMITTED', 'DOCUMENTS_REQUESTED', 'EXAM_REQUIRED')`,
      pairs.map((p) => p.nationalCode),
      pairs.map((p) => p.contractNumber),
    );
    return row?.n ?? 0;
  }

  /** Approved letters past their last valid day, locked for this replica only (others skip them). */
  async dueForExpiry(tx: SqlExecutor, today: string, limit: number): Promise<ReferralRecord[]> {
    const rows = await tx.$queryRawUnsafe<Row[]>(
      `SELECT ${COLUMNS} FROM referrals WHERE status = 'APPROVED' AND valid_until < $1::date
        ORDER BY valid_until, tracking_code LIMIT $2 FOR UPDATE SKIP LOCKED`,
      today,
      limit,
    );
    return rows.map(toRecord);
  }

  /** The letter a centre verifies: only the fields the answer may carry. */
  async letter(
    trackingCode: string,
  ): Promise<(Pick<ReferralState, 'status' | 'validFrom' | 'validUntil'> & { patientNationalCode: string; providerName: string }) | null> {
    const [row] = await this.db.$queryRawUnsafe<
      { status: ReferralStatus; valid_from: string | null; valid_until: string | null; patient: string; provider: string }[]
    >(
      `SELECT status, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until,
              patient_national_code AS patient, coalesce(approved_provider_name, provider_name) AS provider
         FROM referrals WHERE tracking_code = $1`,
      trackingCode,
    );
    if (!row) return null;
    return {
      status: row.status,
      validFrom: orUndefined(row.valid_from),
      validUntil: orUndefined(row.valid_until),
      patientNationalCode: row.patient,
      providerName: row.provider,
    };
  }
}
