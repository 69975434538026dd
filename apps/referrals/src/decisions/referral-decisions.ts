import { Injectable } from '@nestjs/common';
import { MemberRegistry } from '@darman/access';
import { Topics } from '@darman/contracts';
import { addToOutbox, groupBy, loadSubjectHistory, type HandlerRejection, type SqlExecutor } from '@darman/messaging';
import { toJalaliInstant } from '@darman/persian';
import { applyDecision, decisionOrder, DECISION_TYPES, type Decision, type ReferralState } from '../referrals/referral-state.js';
import { ReferralsRepository, type ReferralRecord } from '../referrals/referrals.repository.js';
import { ReferralProviders } from './referral-providers.js';

export const SOURCE = 'darman-referrals';

/**
 * Applies the referral unit's decisions (`insurer.referrals.v1`) to requests,
 * under each request's lock: in the source's order, an older decision
 * ignored, one for a request that is already final refused (STATE_CONFLICT,
 * to the DLQ), and each applied one announced to the patient by SMS through
 * the outbox. A decision for a request not made yet stays in the event store
 * and is applied when the request is (applyPending).
 */
@Injectable()
export class ReferralDecisions {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly providers: ReferralProviders,
    private readonly registry: MemberRegistry,
  ) {}

  /** New decisions of a consumer batch; returns those refused against state. */
  async apply(tx: SqlExecutor, decisions: readonly Decision[]): Promise<HandlerRejection[]> {
    const rejections: HandlerRejection[] = [];
    for (const [trackingCode, list] of groupBy(decisions, (d) => d.subject)) {
      await this.referrals.lock(tx, trackingCode);
      const record = await this.referrals.find(trackingCode, tx);
      if (!record) continue;
      const outcome = await this.applyAll(tx, record, [...list].sort(decisionOrder));
      rejections.push(...outcome.refused.map((r) => ({ eventId: r.decision.eventId, code: 'STATE_CONFLICT', message: r.reason })));
    }
    return rejections;
  }

  /**
   * Decisions stored before their request existed (another replica may have
   * published the request first), applied to the new request in the same
   * transaction. One refused here cannot leave the store any more; it stays
   * there without effect, as an older one does.
   */
  async applyPending(tx: SqlExecutor, record: ReferralRecord): Promise<ReferralState> {
    const history = await loadSubjectHistory(tx, DECISION_TYPES, [record.trackingCode]);
    if (history.length === 0) return record.state;
    return (
      await this.applyAll(
        tx,
        record,
        history.map((h) => h.event as Decision),
      )
    ).state;
  }

  private async applyAll(
    tx: SqlExecutor,
    record: ReferralRecord,
    decisions: Decision[],
  ): Promise<{ state: ReferralState; refused: { decision: Decision; reason: string }[] }> {
    let state = record.state;
    const refused: { decision: Decision; reason: string }[] = [];
    // Looked up once per request, on its first applied decision.
    let mobile: Promise<string | null> | undefined;
    for (const decision of decisions) {
      const result = applyDecision(state, decision);
      if (result.outcome === 'conflict') refused.push({ decision, reason: result.reason });
      if (result.outcome !== 'applied') continue;
      state = result.state;
      mobile ??= this.registry.notificationMobile(record.patientNationalCode, record.contractNumber);
      await this.notify(tx, record, state, await mobile);
    }
    if (state !== record.state) {
      const approved = state.approvedProviderId ? await this.providers.get(state.approvedProviderId, tx) : null;
      await this.referrals.saveState(tx, record.trackingCode, state, approved?.name ?? state.approvedProviderId);
    }
    return { state, refused };
  }

  /** NotificationRequested (REFERRAL_STATUS) to the patient's mobile on record, or the main member's. */
  private async notify(tx: SqlExecutor, record: ReferralRecord, state: ReferralState, mobile: string | null): Promise<void> {
    if (!mobile) return;
    const params: Record<string, string> = { trackingCode: record.trackingCode, status: state.status };
    if (state.status === 'EXAM_REQUIRED' && state.examAt) {
      params.examAt = state.examAt;
      params.examAtJalali = toJalaliInstant(new Date(state.examAt));
      if (state.examPlace) params.examPlace = state.examPlace;
    }
    if (state.status === 'APPROVED' && state.letterNumber) params.letterNumber = state.letterNumber;
    await addToOutbox(
      tx,
      Topics.portalNotifications,
      { eventType: 'NotificationRequested', subject: mobile, data: { channel: 'SMS', to: mobile, template: 'REFERRAL_STATUS', params } },
      SOURCE,
    );
  }
}
