import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MemberRegistry, type Caller } from '@darman/access';
import {
  Topics,
  type CreateReferralDto,
  type DocumentKind,
  type Page,
  type ReferralAttachmentRef,
  type ReferralCategory,
  type ReferralCreatedDto,
  type ReferralDetailDto,
  type ReferralListItemDto,
  type ReferralsQueryDto,
  type ReferralVerificationDto,
} from '@darman/contracts';
import { addToOutbox, type SqlExecutor, type TransactionalDb } from '@darman/messaging';
import { AppError, APP_CONFIG, CommonErrors } from '@darman/platform';
import { BusinessCalendar, toJalali, toJalaliInstant } from '@darman/persian';
import { AttachmentStore, type StoredFile } from '../attachments/attachment-store.js';
import { ATTACHMENT_LIMITS, AttachmentErrors, inspectAttachment, type InspectedAttachment } from '../attachments/inspect-attachment.js';
import type { ReferralsConfig } from '../config/referrals.config.js';
import { ReferralDecisions, SOURCE } from '../decisions/referral-decisions.js';
import { ReferralProviders } from '../decisions/referral-providers.js';
import { Clock } from './clock.js';
import { addDocuments, cancel, isValidLetter, submitted, type ReferralState } from './referral-state.js';
import { ReferralsRepository, type AttachmentMeta, type ReferralRecord } from './referrals.repository.js';
import { isLeadTimeShort, needsExam } from './request-rules.js';
import { ReferralsWriteDb } from './write-db.js';
import { normalizeTrackingCode, TrackingCodes } from './tracking-code.js';

/** A file part of a multipart request, read (within the size limit) but not yet inspected. */
export interface UploadedFile {
  field: string;
  filename?: string;
  bytes: Buffer;
}

/** Multipart field → document kind (API.md). */
export const FILE_FIELDS: Record<string, DocumentKind> = {
  prescription: 'PRESCRIPTION',
  nationalCard: 'NATIONAL_CARD',
  medicalReport: 'MEDICAL_REPORT',
  imaging: 'IMAGING',
  other: 'OTHER',
};
/** The fields `POST /referrals` takes; the others are for documents the unit asks for later. */
export const REQUEST_FILE_FIELDS = ['prescription', 'nationalCard', 'other'];

export const ReferralErrors = {
  notFound: () => new AppError('REFERRAL_NOT_FOUND', 404, { en: 'No such referral request.', fa: 'درخواست معرفی‌نامه یافت نشد.' }),
  notContracted: () =>
    new AppError('PROVIDER_NOT_CONTRACTED', 422, {
      en: 'This centre is not contracted with your insurer.',
      fa: 'این مرکز طرف قرارداد بیمه‌گر شما نیست.',
    }),
  issuesNoReferral: () =>
    new AppError('PROVIDER_ISSUES_NO_REFERRAL', 422, {
      en: 'This centre does not accept referral letters.',
      fa: 'این مرکز معرفی‌نامه نمی‌پذیرد.',
    }),
  contractNotActive: () =>
    new AppError('CONTRACT_NOT_ACTIVE', 422, {
      en: 'The patient has no active coverage under this contract.',
      fa: 'بیمار در این قرارداد پوشش فعال ندارد.',
    }),
  unknownField: (field: string) =>
    CommonErrors.validation([{ field, code: 'UNKNOWN_FILE_FIELD', message: `no file field "${field}" on this route` }]),
  notCancellable: () =>
    new AppError('REFERRAL_NOT_CANCELLABLE', 409, {
      en: 'The request has been decided and can no longer be cancelled.',
      fa: 'درباره این درخواست تصمیم گرفته شده و دیگر قابل انصراف نیست.',
    }),
  notAcceptingDocuments: () =>
    new AppError('REFERRAL_NOT_ACCEPTING_DOCUMENTS', 409, {
      en: 'The request does not take documents in its current state.',
      fa: 'این درخواست در وضعیت فعلی مدرک نمی‌پذیرد.',
    }),
};

const WARNINGS = {
  leadTime: (category: ReferralCategory) => ({
    code: 'LEAD_TIME_SHORT',
    message:
      category === 'HOSPITALIZATION' || category === 'SURGERY'
        ? 'برای بستری و جراحی، معرفی‌نامه را دست‌کم دو روز کاری پیش از پذیرش درخواست کنید؛ پاسخ ممکن است تا روز پذیرش نرسد.'
        : 'برای خدمات پاراکلینیکی، معرفی‌نامه را دست‌کم چهار ساعت پیش از مراجعه درخواست کنید.',
  }),
  online: () => ({
    code: 'ONLINE_REFERRAL_AVAILABLE',
    message: 'این مرکز معرفی‌نامه آنلاین دارد: کافی است با کارت ملی بیمار مراجعه کنید.',
  }),
};

/** The member's referral pages and actions; every answer about another household is 404. */
@Injectable()
export class ReferralsService {
  constructor(
    @Inject(ReferralsWriteDb) private readonly db: TransactionalDb,
    @Inject(APP_CONFIG) private readonly config: ReferralsConfig,
    private readonly referrals: ReferralsRepository,
    private readonly providers: ReferralProviders,
    private readonly registry: MemberRegistry,
    private readonly decisions: ReferralDecisions,
    private readonly store: AttachmentStore,
    private readonly calendar: BusinessCalendar,
    private readonly clock: Clock,
    private readonly codes: TrackingCodes,
  ) {}

  async create(caller: Caller, dto: CreateReferralDto, files: UploadedFile[]): Promise<ReferralCreatedDto> {
    checkFileFields(files, REQUEST_FILE_FIELDS);
    for (const field of ['prescription', 'nationalCard']) if (!files.some((f) => f.field === field)) throw AttachmentErrors.missing(field);
    if (files.length > ATTACHMENT_LIMITS.maxFiles) throw AttachmentErrors.tooMany();
    const enrolment = await this.registry.activeEnrollmentFor(caller, dto.patientNationalCode, dto.contractNumber);
    if (!enrolment) {
      const sees = await this.registry.canSee(caller, dto.patientNationalCode, dto.contractNumber);
      throw sees ? ReferralErrors.contractNotActive() : CommonErrors.notFound();
    }
    const provider = await this.providers.get(dto.providerId);
    if (!provider || provider.removed || !provider.contracted) throw ReferralErrors.notContracted();
    if (!provider.issuesReferral) throw ReferralErrors.issuesNoReferral();
    const inspected = await inspectAll(files);

    const now = this.clock.now();
    const examRequired = needsExam(dto.reason, dto.serviceCategory, {
      reasons: this.config.EXAM_REQUIRED_REASONS,
      categories: this.config.EXAM_REQUIRED_CATEGORIES,
    });
    const warnings = [];
    if (isLeadTimeShort(dto.serviceCategory, dto.admissionDate, now, this.calendar)) warnings.push(WARNINGS.leadTime(dto.serviceCategory));
    if (provider.onlineReferral) warnings.push(WARNINGS.online());

    const at = now.toISOString();
    const trackingCode = this.codes.next();
    const request = {
      trackingCode,
      patientNationalCode: dto.patientNationalCode,
      mainMemberNationalCode: enrolment.mainMemberNationalCode,
      contractNumber: dto.contractNumber,
      providerId: provider.providerId,
      providerName: provider.name,
      admissionDate: dto.admissionDate,
      doctorName: dto.doctorName,
      reason: dto.reason,
      serviceCategory: dto.serviceCategory,
      examRequired,
      requestedBy: caller.nationalCode,
      requestedAt: at,
    };
    const state = await this.db.$transaction(async (tx) => {
      await this.referrals.lock(tx, trackingCode);
      const initial = submitted(at, examRequired);
      await this.referrals.insert(tx, request, initial);
      const refs = await this.storeFiles(tx, trackingCode, inspected, at);
      await addToOutbox(
        tx,
        Topics.portalReferrals,
        {
          eventType: 'ReferralRequested',
          subject: trackingCode,
          data: {
            trackingCode,
            patientNationalCode: request.patientNationalCode,
            mainMemberNationalCode: request.mainMemberNationalCode,
            contractNumber: request.contractNumber,
            providerId: request.providerId,
            admissionDate: request.admissionDate,
            doctorName: request.doctorName,
            reason: request.reason,
            serviceCategory: request.serviceCategory,
            examRequired,
            attachments: refs,
          },
        },
        SOURCE,
      );
      return this.decisions.applyPending(tx, { ...request, state: initial });
    });
    return { trackingCode, status: state.status, warnings };
  }

  async list(caller: Caller, query: ReferralsQueryDto): Promise<Page<ReferralListItemDto>> {
    const person = query.nationalCode ?? caller.nationalCode;
    const contracts = await this.registry.contractsSeeing(caller, person);
    if (contracts.length === 0 && person !== caller.nationalCode) throw CommonErrors.notFound();
    const { items, total } = await this.referrals.list(person, contracts, query.status, query);
    return {
      items: items.map((r) => ({
        ...r,
        requestedAtJalali: toJalaliInstant(new Date(r.requestedAt)),
        admissionDateJalali: toJalali(r.admissionDate),
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  async detail(caller: Caller, code: string): Promise<ReferralDetailDto> {
    const record = await this.visible(caller, code);
    return toDetail(record, await this.referrals.attachments(record.trackingCode));
  }

  async addAttachments(caller: Caller, code: string, files: UploadedFile[]): Promise<ReferralDetailDto> {
    const record = await this.visible(caller, code);
    checkFileFields(files, Object.keys(FILE_FIELDS));
    if (files.length === 0) throw AttachmentErrors.missing('file');
    const inspected = await inspectAll(files);
    const at = this.clock.now().toISOString();
    await this.db.$transaction(async (tx) => {
      await this.referrals.lock(tx, record.trackingCode);
      const current = (await this.referrals.find(record.trackingCode, tx))!;
      const next = addDocuments(
        current.state,
        files.map((f) => FILE_FIELDS[f.field]!),
        at,
      );
      if (!next) throw ReferralErrors.notAcceptingDocuments();
      const existing = (await this.referrals.attachments(record.trackingCode, tx)).length;
      if (existing + files.length > ATTACHMENT_LIMITS.maxFiles) throw AttachmentErrors.tooMany();
      const refs = await this.storeFiles(tx, record.trackingCode, inspected, at);
      await this.referrals.saveState(tx, record.trackingCode, next, current.approvedProviderName);
      await addToOutbox(
        tx,
        Topics.portalReferrals,
        {
          eventType: 'ReferralDocumentsAdded',
          subject: record.trackingCode,
          data: { trackingCode: record.trackingCode, attachments: refs },
        },
        SOURCE,
      );
    });
    return this.detail(caller, record.trackingCode);
  }

  async cancel(caller: Caller, code: string, reason: string): Promise<ReferralDetailDto> {
    const record = await this.visible(caller, code);
    const at = this.clock.now().toISOString();
    await this.db.$transaction(async (tx) => {
      await this.referrals.lock(tx, record.trackingCode);
      const current = (await this.referrals.find(record.trackingCode, tx))!;
      const next = cancel(current.state, reason, at);
      if (!next) throw ReferralErrors.notCancellable();
      await this.referrals.saveState(tx, record.trackingCode, next, current.approvedProviderName);
      await addToOutbox(
        tx,
        Topics.portalReferrals,
        { eventType: 'ReferralCancelled', subject: record.trackingCode, data: { trackingCode: record.trackingCode, reason } },
        SOURCE,
      );
    });
    return this.detail(caller, record.trackingCode);
  }

  /** A file of a request the caller may see. */
  async attachment(caller: Caller, code: string, id: string): Promise<StoredFile> {
    const record = await this.visible(caller, code);
    const file = await this.store.open(record.trackingCode, id);
    if (!file) throw ReferralErrors.notFound();
    return file;
  }

  /** A file for the insurer's system (a service client, not a member). */
  async attachmentForInsurer(code: string, id: string): Promise<StoredFile> {
    const trackingCode = normalizeTrackingCode(code);
    const file = trackingCode ? await this.store.open(trackingCode, id) : null;
    if (!file) throw ReferralErrors.notFound();
    return file;
  }

  /** A centre's check: the same `{ valid: false }` for an unknown code, another patient or a letter not valid today. */
  async verify(code: string, nationalCode: string): Promise<ReferralVerificationDto> {
    const trackingCode = normalizeTrackingCode(code);
    const letter = trackingCode ? await this.referrals.letter(trackingCode) : null;
    if (!letter || letter.patientNationalCode !== nationalCode || !isValidLetter(letter, this.clock.now())) return { valid: false };
    return {
      valid: true,
      providerName: letter.providerName,
      validUntil: letter.validUntil!,
      validUntilJalali: toJalali(letter.validUntil!),
    };
  }

  /** Open requests of everyone the caller may see, for the home page. */
  async openCount(caller: Caller): Promise<{ openReferrals: number }> {
    const pairs: { nationalCode: string; contractNumber: string }[] = [];
    for (const contract of await this.registry.contractsOf(caller)) {
      for (const nationalCode of await this.registry.visibleNationalCodes(caller, contract.contractNumber)) {
        pairs.push({ nationalCode, contractNumber: contract.contractNumber });
      }
    }
    return { openReferrals: await this.referrals.countOpen(pairs) };
  }

  private async visible(caller: Caller, code: string): Promise<ReferralRecord> {
    const trackingCode = normalizeTrackingCode(code);
    const record = trackingCode ? await this.referrals.find(trackingCode) : null;
    if (!record || !(await this.registry.canSee(caller, record.patientNationalCode, record.contractNumber)))
      throw ReferralErrors.notFound();
    return record;
  }

  private async storeFiles(
    tx: SqlExecutor,
    trackingCode: string,
    files: { field: string; file: InspectedAttachment }[],
    at: string,
  ): Promise<ReferralAttachmentRef[]> {
    const refs: ReferralAttachmentRef[] = [];
    for (const { field, file } of files) {
      const id = randomUUID();
      const kind = FILE_FIELDS[field]!;
      await this.store.put(tx, trackingCode, id, kind, file, at);
      refs.push({ id, kind, contentType: file.contentType, size: file.size, sha256: file.sha256 });
    }
    return refs;
  }
}

function checkFileFields(files: UploadedFile[], allowed: string[]): void {
  for (const f of files) if (!allowed.includes(f.field)) throw ReferralErrors.unknownField(f.field);
}

/** Every file inspected before anything is written: one refused file refuses the request, and nothing is stored. */
async function inspectAll(files: UploadedFile[]): Promise<{ field: string; file: InspectedAttachment }[]> {
  const inspected = [];
  for (const f of files) inspected.push({ field: f.field, file: await inspectAttachment(f) });
  return inspected;
}

const jalaliOrNull = (date: string | undefined) => (date ? toJalali(date) : null);

function toDetail(r: ReferralRecord, attachments: AttachmentMeta[]): ReferralDetailDto {
  const s: ReferralState = r.state;
  return {
    trackingCode: r.trackingCode,
    requestedAt: r.requestedAt,
    requestedAtJalali: toJalaliInstant(new Date(r.requestedAt)),
    admissionDate: r.admissionDate,
    admissionDateJalali: toJalali(r.admissionDate),
    doctorName: r.doctorName,
    reason: r.reason,
    providerName: r.providerName,
    status: s.status,
    patientNationalCode: r.patientNationalCode,
    contractNumber: r.contractNumber,
    providerId: r.providerId,
    serviceCategory: r.serviceCategory,
    examRequired: r.examRequired,
    timeline: s.timeline.map((e) => ({ ...e, atJalali: toJalaliInstant(new Date(e.at)) })),
    requestedDocuments: s.requestedDocuments,
    documentsDueBy: s.documentsDueBy ?? null,
    exam: s.examAt ? { at: s.examAt, atJalali: toJalaliInstant(new Date(s.examAt)), place: s.examPlace ?? '' } : null,
    letterNumber: s.letterNumber ?? null,
    validFrom: s.validFrom ?? null,
    validFromJalali: jalaliOrNull(s.validFrom),
    validUntil: s.validUntil ?? null,
    validUntilJalali: jalaliOrNull(s.validUntil),
    approvedProviderId: s.approvedProviderId ?? null,
    approvedProviderName: r.approvedProviderName ?? null,
    decisionNote: s.decisionNote ?? null,
    rejectionReason: s.rejectionReason ?? null,
    cancelReason: s.cancelReason ?? null,
    attachments: attachments.map(({ addedAt: _addedAt, ...a }) => a),
  };
}
