// What the member routes show, decided by MeService over mocked repositories.
import { jest } from '@jest/globals';
import type { Caller, MemberRegistry } from '@darman/access';
import type { OutboxRelay } from '@darman/messaging';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { OneTimeCodeService } from '../auth/one-time-code.service.js';
import type { PasswordService } from '../auth/password.service.js';
import type { SessionService } from '../auth/session.service.js';
import type { AnnouncementsRepository } from '../registry/announcements.repository.js';
import type { InsurersRepository } from '../registry/insurers.repository.js';
import { MeService } from './me.service.js';

const main: Caller = { nationalCode: '0499370899', membershipType: 'GROUP', sessionId: 's1' };
const account = {
  id: 'a1',
  nationalCode: main.nationalCode,
  membershipType: 'GROUP',
  mobile: '09121234567',
  email: null,
  address: null,
  iban: null,
};

function setup() {
  const registry = {
    visiblePersons: jest.fn(async (_c: Caller, contractNumber: string) =>
      contractNumber === '1722169'
        ? { items: [{ nationalCode: main.nationalCode, firstName: 'علی', lastName: 'رضایی', relation: 'MAIN', isMain: true }], total: 1 }
        : null,
    ),
    profileOf: jest.fn(async () => ({ firstName: 'علی', lastName: 'رضایی', insurerCode: 'ASMARI', insurerName: 'بیمه آسماری' })),
    insurerCodesOf: jest.fn(async () => ['ASMARI']),
  };
  const accounts = { findByLogin: jest.fn(async () => account) };
  const insurers = { find: jest.fn(async () => ({ code: 'ASMARI', name: 'بیمه آسماری', logoUrl: 'https://example.invalid/logo.png' })) };
  const announcements = { current: jest.fn(async () => ({ rows: [], total: 0 })) };
  const service = new MeService(
    accounts as unknown as AccountsRepository,
    registry as unknown as MemberRegistry,
    insurers as unknown as InsurersRepository,
    announcements as unknown as AnnouncementsRepository,
    {} as OneTimeCodeService,
    {} as PasswordService,
    {} as SessionService,
    { kick: () => undefined } as unknown as OutboxRelay,
  );
  return { service, registry, announcements };
}

describe('MeService: the member routes', () => {
  it('lists the persons the registry lets the caller see under an enrolled contract', async () => {
    const { service } = setup();
    const page = await service.members(main, '1722169', { page: 1, pageSize: 10 });
    expect(page).toEqual({
      items: [expect.objectContaining({ nationalCode: main.nationalCode, isMain: true })],
      page: 1,
      pageSize: 10,
      total: 1,
    });
  });

  it('answers 404 for a contract the caller is not enrolled in', async () => {
    const { service } = setup();
    await expect(service.members(main, '9999', { page: 1, pageSize: 10 })).rejects.toEqual(
      expect.objectContaining({ code: 'NOT_FOUND', statusCode: 404 }),
    );
  });

  it("shows the caller's name and insurer from the registry, and announcements of the caller's insurers only", async () => {
    const { service, announcements } = setup();
    const profile = await service.profile(main);
    expect(profile).toEqual(
      expect.objectContaining({
        firstName: 'علی',
        insurer: { code: 'ASMARI', name: 'بیمه آسماری', logoUrl: 'https://example.invalid/logo.png' },
      }),
    );
    await service.announcements(main, { page: 1, pageSize: 5 });
    expect(announcements.current).toHaveBeenCalledWith(['ASMARI'], { page: 1, pageSize: 5 });
  });
});
