import { Injectable } from '@nestjs/common';
import { MemberRegistryProjection, type RegistryEventType } from '@darman/access';
import type { ContractEvent, EventData } from '@darman/contracts';
import {
  latestBySubject,
  loadSubjectHistory,
  reprojectAll,
  subjectsOf,
  type RebuildableProjection,
  type SqlExecutor,
} from '@darman/messaging';
import { AnnouncementsRepository } from './announcements.repository.js';
import { InsurersRepository } from './insurers.repository.js';

export type MembersTopicEvent = ContractEvent<RegistryEventType | 'InsurerUpserted' | 'AnnouncementPublished'>;

/**
 * Projects `insurer.members.v1` into identity's registry: contracts and
 * enrolments (shared library, libs/access), insurers and announcements, each
 * the latest state of its subject folded from the stored history.
 */
@Injectable()
export class IdentityRegistry implements RebuildableProjection {
  /** Bump the version when the projection changes: the registry is then rebuilt from the stored events at start. */
  readonly projection = { name: 'identity-registry', version: 1 };

  constructor(
    private readonly registry: MemberRegistryProjection,
    private readonly insurers: InsurersRepository,
    private readonly announcements: AnnouncementsRepository,
  ) {}

  async apply(tx: SqlExecutor, events: readonly MembersTopicEvent[]): Promise<void> {
    await this.registry.apply(
      tx,
      events.filter((e) => e.eventType !== 'InsurerUpserted' && e.eventType !== 'AnnouncementPublished'),
    );
    await this.projectInsurers(tx, subjectsOf(events, ['InsurerUpserted']));
    await this.projectAnnouncements(tx, subjectsOf(events, ['AnnouncementPublished']));
  }

  async rebuild(tx: SqlExecutor): Promise<void> {
    await this.registry.rebuild(tx);
    await this.insurers.deleteAll(tx);
    await this.announcements.deleteAll(tx);
    await reprojectAll(tx, ['InsurerUpserted'], (subjects) => this.projectInsurers(tx, subjects));
    await reprojectAll(tx, ['AnnouncementPublished'], (subjects) => this.projectAnnouncements(tx, subjects));
  }

  private async projectInsurers(tx: SqlExecutor, subjects: string[]): Promise<void> {
    await this.insurers.upsert(tx, await latestData(tx, 'InsurerUpserted', subjects));
  }

  private async projectAnnouncements(tx: SqlExecutor, subjects: string[]): Promise<void> {
    await this.announcements.upsert(tx, await latestData(tx, 'AnnouncementPublished', subjects));
  }
}

/** The latest payload of each subject of one event type, folded from the stored history (order-tolerant). */
async function latestData<E extends 'InsurerUpserted' | 'AnnouncementPublished'>(
  tx: SqlExecutor,
  eventType: E,
  subjects: string[],
): Promise<EventData<E>[]> {
  if (subjects.length === 0) return [];
  // ContractEvent<E> of a type parameter does not narrow to its payload class.
  return latestBySubject(await loadSubjectHistory(tx, [eventType], subjects)).map((event) => event.data as EventData<E>);
}
