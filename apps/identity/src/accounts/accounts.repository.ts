import { Injectable } from '@nestjs/common';
import type { MembershipType, NewEvent, TopicName } from '@darman/contracts';
import { addToOutbox } from '@darman/messaging';
import { Prisma, type Account } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';

export type { Account };

/** Contact details a member may change (DOMAIN.md); the Sheba is stored in full, shown masked. */
export type AccountContact = Partial<Pick<Account, 'mobile' | 'email' | 'address' | 'iban'>>;

/** An event to publish with a change, through the outbox in the change's transaction. */
export interface OutboxEvent {
  topic: TopicName;
  event: NewEvent;
  source: string;
}

/** The account exists already (one per national code and membership type). */
export class AccountExistsError extends Error {}

/** The only code that touches `accounts`: portal accounts, one per (national code, membership type). */
@Injectable()
export class AccountsRepository {
  constructor(private readonly db: PrismaService) {}

  findByLogin(nationalCode: string, membershipType: MembershipType | string): Promise<Account | null> {
    return this.db.account.findUnique({ where: { nationalCode_membershipType: { nationalCode, membershipType } } });
  }

  findById(id: string): Promise<Account | null> {
    return this.db.account.findUnique({ where: { id } });
  }

  /** Creates the account and writes its event to the outbox, atomically; AccountExistsError when it exists. */
  async create(account: Omit<Account, 'email' | 'address' | 'iban'>, published: OutboxEvent): Promise<void> {
    try {
      await this.db.$transaction(async (tx) => {
        await tx.account.create({ data: account });
        await addToOutbox(tx, published.topic, published.event, published.source);
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AccountExistsError();
      throw error;
    }
  }

  /** Changes contact details and writes their event to the outbox, atomically. */
  async updateContact(id: string, changed: AccountContact, published: OutboxEvent): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.account.update({ where: { id }, data: changed });
      await addToOutbox(tx, published.topic, published.event, published.source);
    });
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.db.account.update({ where: { id }, data: { passwordHash, passwordChangedAt: new Date() } });
  }
}
