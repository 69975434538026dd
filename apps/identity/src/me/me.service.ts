import { Inject, Injectable } from '@nestjs/common';
import { MemberRegistry, type Caller } from '@darman/access';
import {
  Topics,
  type AnnouncementDto,
  type ChangePasswordDto,
  type ContractDto,
  type HomeDto,
  type InsurerDto,
  type MembersQueryDto,
  type MobileVerifyDto,
  type Page,
  type PageQueryDto,
  type PersonDto,
  type ProfileDto,
  type UpdateProfileDto,
} from '@darman/contracts';
import { OutboxRelay } from '@darman/messaging';
import { maskSheba, toJalali, toJalaliInstant } from '@darman/persian';
import { CommonErrors } from '@darman/platform';
import { AccountsRepository } from '../accounts/accounts.repository.js';
import { IdentityErrors } from '../auth/auth.errors.js';
import { IDENTITY_SOURCE } from '../auth/auth.service.js';
import { OneTimeCodeService } from '../auth/one-time-code.service.js';
import { PasswordService } from '../auth/password.service.js';
import { SessionService } from '../auth/session.service.js';
import { AnnouncementsRepository } from '../registry/announcements.repository.js';
import { InsurersRepository } from '../registry/insurers.repository.js';

/** The signed-in member's own account, contracts, persons, home page and announcements. */
@Injectable()
export class MeService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly registry: MemberRegistry,
    private readonly insurers: InsurersRepository,
    private readonly announcementsRepository: AnnouncementsRepository,
    private readonly codes: OneTimeCodeService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async profile(caller: Caller): Promise<ProfileDto> {
    const account = await this.account(caller);
    const person = await this.registry.profileOf(caller);
    return {
      nationalCode: account.nationalCode,
      firstName: person?.firstName ?? '',
      lastName: person?.lastName ?? '',
      mobile: account.mobile,
      email: account.email,
      address: account.address,
      ibanMasked: account.iban ? maskSheba(account.iban) : null,
      membershipType: caller.membershipType,
      insurer: person?.insurerCode ? await this.insurer(person.insurerCode, person.insurerName ?? person.insurerCode) : null,
    };
  }

  /** Sends a code to a new mobile; PATCH /me with that mobile and code then changes it. */
  async verifyMobile(caller: Caller, dto: MobileVerifyDto): Promise<void> {
    await this.account(caller);
    await this.codes.send(caller, 'MOBILE_CHANGE', dto.mobile);
  }

  /** Changes contact details and publishes MemberContactChanged (outbox, same transaction). */
  async updateProfile(caller: Caller, dto: UpdateProfileDto): Promise<ProfileDto> {
    const account = await this.account(caller);
    if (dto.mobile !== undefined && dto.mobile !== account.mobile) {
      await this.codes.consume(caller, 'MOBILE_CHANGE', dto.mobileCode ?? '', dto.mobile);
    }
    const changed: Record<string, string> = {};
    for (const field of ['mobile', 'email', 'address', 'iban'] as const) {
      const value = dto[field];
      if (value !== undefined && value !== account[field]) changed[field] = value;
    }
    if (Object.keys(changed).length > 0) {
      await this.accounts.updateContact(account.id, changed, {
        topic: Topics.portalMembers,
        event: { subject: caller.nationalCode, eventType: 'MemberContactChanged', data: { nationalCode: caller.nationalCode, ...changed } },
        source: IDENTITY_SOURCE,
      });
      this.relay.kick();
    }
    return this.profile(caller);
  }

  /** Changes the password and ends every other session of the account. */
  async changePassword(caller: Caller, dto: ChangePasswordDto): Promise<void> {
    const account = await this.account(caller);
    if (!(await this.passwords.verify(account.passwordHash, dto.currentPassword))) throw IdentityErrors.currentPasswordIncorrect();
    this.passwords.assertAcceptable(dto.newPassword, caller.nationalCode);
    await this.accounts.setPassword(account.id, await this.passwords.hash(dto.newPassword));
    await this.sessions.revokeAll(account.id, 'PASSWORD_CHANGED', caller.sessionId);
  }

  async contracts(caller: Caller): Promise<ContractDto[]> {
    const contracts = await this.registry.contractsOf(caller);
    return contracts.map((c) => ({
      contractNumber: c.contractNumber,
      title: c.title,
      policyholderName: c.policyholderName,
      insurerName: c.insurerName,
      startDate: c.startDate,
      startDateJalali: toJalali(c.startDate),
      endDate: c.endDate,
      endDateJalali: toJalali(c.endDate),
      status: c.status,
      active: c.active,
    }));
  }

  /** The persons the caller may see under the contract; 404 when the caller is not enrolled in it. */
  async members(caller: Caller, contractNumber: string, query: MembersQueryDto): Promise<Page<PersonDto>> {
    const result = await this.registry.visiblePersons(caller, contractNumber, query);
    if (!result) throw CommonErrors.notFound();
    return { items: result.items, page: query.page, pageSize: query.pageSize, total: result.total };
  }

  /** The identity part of the home page (the gateway adds the claim and referral counts). */
  async home(caller: Caller): Promise<Omit<HomeDto, 'counts'>> {
    const profile = await this.profile(caller);
    const latest = await this.announcements(caller, { page: 1, pageSize: 5 });
    return { insurer: profile.insurer, announcements: latest.items };
  }

  /** Announcements of the insurers of the caller's contracts, newest first, expired ones hidden. */
  async announcements(caller: Caller, query: PageQueryDto): Promise<Page<AnnouncementDto>> {
    const { rows, total } = await this.announcementsRepository.current(await this.registry.insurerCodesOf(caller), query);
    return {
      items: rows.map((r) => ({
        announcementId: r.id,
        title: r.title,
        body: r.body,
        publishedAt: r.published_at.toISOString(),
        publishedAtJalali: toJalaliInstant(r.published_at),
        expiresAt: r.expires_at?.toISOString() ?? null,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  private async insurer(code: string, fallbackName: string): Promise<InsurerDto> {
    const insurer = await this.insurers.find(code);
    return { code, name: insurer?.name ?? fallbackName, logoUrl: insurer?.logoUrl ?? null };
  }

  private async account(caller: Caller) {
    const account = await this.accounts.findByLogin(caller.nationalCode, caller.membershipType);
    if (!account) throw IdentityErrors.accountNotFound();
    return account;
  }
}
