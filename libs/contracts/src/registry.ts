import * as claims from './events/claims.events.js';
import * as members from './events/members.events.js';
import * as providers from './events/providers.events.js';
import * as referrals from './events/referrals.events.js';
import * as sessions from './events/sessions.events.js';
import type { EventEnvelope } from './envelope.js';
import { Topics, type TopicName } from './topics.js';

export type DataClass = new () => object;

export interface EventTypeSpec {
  data: DataClass;
  /** The data field that must equal the envelope's subject (and the Kafka key). */
  subjectField: string;
}

const registry = {
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
    ReferralDocumentsRequested: { data: referrals.ReferralDocumentsRequestedData, subjectField: 'trackingCode' },
    ReferralExamRequired: { data: referrals.ReferralExamRequiredData, subjectField: 'trackingCode' },
    ReferralApproved: { data: referrals.ReferralApprovedData, subjectField: 'trackingCode' },
    ReferralRejected: { data: referrals.ReferralRejectedData, subjectField: 'trackingCode' },
  },
  [Topics.portalReferrals]: {
    ReferralRequested: { data: referrals.ReferralRequestedData, subjectField: 'trackingCode' },
    ReferralDocumentsAdded: { data: referrals.ReferralDocumentsAddedData, subjectField: 'trackingCode' },
    ReferralCancelled: { data: referrals.ReferralCancelledData, subjectField: 'trackingCode' },
    ReferralExpired: { data: referrals.ReferralExpiredData, subjectField: 'trackingCode' },
  },
  [Topics.portalMembers]: {
    MemberActivated: { data: members.MemberActivatedData, subjectField: 'nationalCode' },
    MemberContactChanged: { data: members.MemberContactChangedData, subjectField: 'nationalCode' },
  },
  [Topics.portalNotifications]: {
    NotificationRequested: { data: members.NotificationRequestedData, subjectField: 'to' },
  },
  [Topics.portalSessions]: {
    SessionRevoked: { data: sessions.SessionRevokedData, subjectField: 'sessionId' },
  },
} as const satisfies Record<TopicName, Record<string, EventTypeSpec>>;

/** Which event types each topic carries, with their payload class (the one source of the contract's types and documents). */
export const EVENT_REGISTRY: Record<TopicName, Record<string, EventTypeSpec>> = registry;

type Registry = typeof registry;

/** Every event type name of the contract; names are unique across topics. */
export type EventType = { [T in TopicName]: keyof Registry[T] & string }[TopicName];

/** The payload class of an event type. */
export type EventData<E extends EventType> = {
  [T in TopicName]: E extends keyof Registry[T] ? (Registry[T][E] extends { data: new () => infer D } ? D : never) : never;
}[TopicName];

/** A validated event of one type of the contract, its `data` typed by the payload class; a union over `E` discriminates on `eventType`. */
export type ContractEvent<E extends EventType = EventType> = E extends EventType
  ? Omit<EventEnvelope, 'eventType' | 'data'> & { eventType: E; data: EventData<E> }
  : never;

const TOPIC_OF_TYPE = new Map<string, TopicName>(
  Object.entries(EVENT_REGISTRY).flatMap(([topic, types]) => Object.keys(types).map((type) => [type, topic as TopicName] as const)),
);

/** The topic that carries an event type, or undefined for a name the contract does not have. */
export function topicOfEventType(eventType: string): TopicName | undefined {
  return TOPIC_OF_TYPE.get(eventType);
}

/** Whether a string names an event type of the contract. */
export function isEventType(value: string): value is EventType {
  return TOPIC_OF_TYPE.has(value);
}
