import * as claims from './events/claims.events.js';
import * as members from './events/members.events.js';
import * as providers from './events/providers.events.js';
import * as referrals from './events/referrals.events.js';
import { Topics, type TopicName } from './topics.js';

export type DataClass = new () => object;

export interface EventTypeSpec {
  data: DataClass;
  /** The data field that must equal the envelope's subject (and the Kafka key). */
  subjectField: string;
}

/** Which event types each topic carries, with their payload class. */
export const EVENT_REGISTRY: Record<TopicName, Record<string, EventTypeSpec>> = {
  [Topics.insurerMembers]: {
    ContractUpserted: { data: members.ContractUpsertedData, subjectField: 'contractNumber' },
    MemberEnrolled: { data: members.MemberEnrolledData, subjectField: 'nationalCode' },
    MemberUpdated: { data: members.MemberUpdatedData, subjectField: 'nationalCode' },
    MemberLeft: { data: members.MemberLeftData, subjectField: 'nationalCode' },
    InsurerUpserted: { data: members.InsurerUpsertedData, subjectField: 'insurerCode' },
    AnnouncementPublished: { data: members.AnnouncementPublishedData, subjectField: 'announcementId' },
  },
  [Topics.insurerClaims]: {
    ClaimRegistered: { data: claims.ClaimRegisteredData, subjectField: 'claimId' },
    ClaimCalculated: { data: claims.ClaimCalculatedData, subjectField: 'claimId' },
    ClaimSentToBank: { data: claims.ClaimSentToBankData, subjectField: 'claimId' },
    ClaimRejected: { data: claims.ClaimRejectedData, subjectField: 'claimId' },
    ClaimPaid: { data: claims.ClaimPaidData, subjectField: 'claimId' },
  },
  [Topics.insurerProviders]: {
    ProviderUpserted: { data: providers.ProviderUpsertedData, subjectField: 'providerId' },
    ProviderRemoved: { data: providers.ProviderRemovedData, subjectField: 'providerId' },
  },
  [Topics.insurerReferrals]: {
    ReferralExamRequired: { data: referrals.ReferralExamRequiredData, subjectField: 'trackingCode' },
    ReferralApproved: { data: referrals.ReferralApprovedData, subjectField: 'trackingCode' },
    ReferralRejected: { data: referrals.ReferralRejectedData, subjectField: 'trackingCode' },
  },
  [Topics.portalReferrals]: {
    ReferralRequested: { data: referrals.ReferralRequestedData, subjectField: 'trackingCode' },
    ReferralCancelled: { data: referrals.ReferralCancelledData, subjectField: 'trackingCode' },
  },
  [Topics.portalMembers]: {
    MemberActivated: { data: members.MemberActivatedData, subjectField: 'nationalCode' },
    MemberContactChanged: { data: members.MemberContactChangedData, subjectField: 'nationalCode' },
  },
  [Topics.portalNotifications]: {
    NotificationRequested: { data: members.NotificationRequestedData, subjectField: 'to' },
  },
};
