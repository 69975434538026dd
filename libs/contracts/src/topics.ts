/** Kafka topics of the contract in EVENTS.md. Names are normative: insurer systems depend on them. */
export const Topics = {
  insurerMembers: 'insurer.members.v1',
  insurerClaims: 'insurer.claims.v1',
  insurerProviders: 'insurer.providers.v1',
  insurerReferrals: 'insurer.referrals.v1',
  portalReferrals: 'portal.referrals.v1',
  portalMembers: 'portal.members.v1',
  portalNotifications: 'portal.notifications.v1',
  portalSessions: 'portal.sessions.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly TopicName[] = Object.values(Topics);

/** Every consumed topic has a dead-letter topic beside it. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/**
 * Partition counts. Keys keep per-aggregate order; claims and members carry
 * the volume, so they get more partitions than the small topics.
 */
export const TOPIC_PARTITIONS: Record<TopicName, number> = {
  'insurer.members.v1': 6,
  'insurer.claims.v1': 6,
  'insurer.providers.v1': 3,
  'insurer.referrals.v1': 3,
  'portal.referrals.v1': 3,
  'portal.members.v1': 3,
  'portal.notifications.v1': 3,
  'portal.sessions.v1': 3,
};

/**
 * Topics kept for less than the broker's default week: session revocations
 * matter only while an access token of the session could still be valid (10
 * minutes), and every verifying process reads the whole topic when it starts.
 */
export const TOPIC_RETENTION_MS: Partial<Record<TopicName, number>> = {
  'portal.sessions.v1': 24 * 3600 * 1000,
};

/** DLQ headers named by EVENTS.md. */
export const DlqHeaders = {
  errorCode: 'x-error-code',
  errorMessage: 'x-error-message',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  /** Additive: which consumer group refused it (one topic may have several consuming services). */
  consumerGroup: 'x-consumer-group',
  /** Additive: set when the refused message was too large to copy whole (its value is then the first bytes only). */
  truncated: 'x-truncated',
  /** Additive, with x-truncated: the original value's size in bytes and its SHA-256 (hex). */
  originalSize: 'x-original-size',
  originalSha256: 'x-original-sha256',
} as const;
