// Black-box: identity and access through the gateway. An insurer publishes
// contracts and members on Kafka; members activate (codes read from
// portal.notifications.v1 as the SMS gateway would), log in, and use the
// member routes. Only the secrecy checks and the clock-bound cases (an
// expired captcha, an expired token) look into identity's database.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Topics, type NewEvent } from '@darman/contracts';
import { createKafka, EventPublisher, TopicNamer } from '@darman/messaging';
import {
  contractUpserted,
  createServiceDatabase,
  dropDatabase,
  eventually,
  memberEnrolled,
  newMobile,
  newNationalCode,
  REPO_ROOT,
  testBrokers,
  TopicRecorder,
  uniqueToken,
} from '@darman/testing';
import { generateKeyPair, importPKCS8, SignJWT } from 'jose';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { provisionTopics, startServices, stopServices, waitReady, type Ports } from '../../scripts/lib/stack.mjs';

const ports: Ports = { gateway: 4200, identity: 4201, claims: 4202, referrals: 4203, providers: 4204 };
const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
const API = `http://127.0.0.1:${ports.gateway}/api/v1`;
const CAPTCHA_TEST_ANSWER = 'e2e-pass';
const AUTH_RATE_LIMIT = 60;
const LOG_DIR = path.join(REPO_ROOT, '.data', 'e2e-identity-logs');

interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

async function api<T = Record<string, unknown>>(
  method: string,
  route: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const response = await fetch(`${API}${route}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresIn: number;
}

interface Notification {
  data: { to: string; template: string; params: { code: string } };
}

describe('identity and access through the gateway', () => {
  const brokers = testBrokers();
  const prefix = `e2eid${uniqueToken()}.`;
  const namer = new TopicNamer(prefix);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e-identity' });
  const insurer = new EventPublisher(kafka, 'asmari-core', namer);
  const recorder = new TopicRecorder(kafka, [namer.topic(Topics.portalNotifications), namer.topic(Topics.portalMembers)]);
  const databaseUrls: Record<string, string> = {};
  let identityDb: pg.Client;
  let children: Record<string, ChildProcess> = {};
  /** Every secret the tests handle: none may be found in the database or the logs. */
  const secrets = { passwords: new Set<string>(), codes: new Set<string>(), refreshTokens: new Set<string>() };

  // One family under one contract: main member with two dependents, and an unrelated member of another contract.
  const contractNumber = `E2E${uniqueToken()}`;
  const otherContract = `E2F${uniqueToken()}`;
  const main = { nationalCode: newNationalCode(), mobile: newMobile(), password: `Main-${uniqueToken()}-pass` };
  const spouse = { nationalCode: newNationalCode(), mobile: newMobile(), password: `Spouse-${uniqueToken()}-pass` };
  const child = { nationalCode: newNationalCode(), mobile: newMobile(), password: `Child-${uniqueToken()}-pass` };
  const stranger = { nationalCode: newNationalCode(), mobile: newMobile(), password: `Other-${uniqueToken()}-pass` };

  const notifications = () => namer.topic(Topics.portalNotifications);
  const portalMembers = () => namer.topic(Topics.portalMembers);

  async function captcha(): Promise<string> {
    const answer = await api<{ captchaId: string; svg: string }>('GET', '/auth/captcha');
    expect(answer.status).toBe(200);
    return answer.body.captchaId;
  }

  /** Asks for a code and returns it as the SMS gateway receives it (retrying while the registry catches up). */
  async function requestCode(route: string, person: { nationalCode: string; mobile: string }, template: string): Promise<string> {
    const statuses: number[] = [];
    const code = await eventually(
      async () => {
        const skip = recorder.values(notifications()).length;
        const answer = await api('POST', route, {
          body: {
            nationalCode: person.nationalCode,
            membershipType: 'GROUP',
            mobile: person.mobile,
            captchaId: await captcha(),
            captchaAnswer: CAPTCHA_TEST_ANSWER,
          },
        });
        statuses.push(answer.status);
        const sent = await recorder
          .waitFor<Notification>(notifications(), (n) => n.data.to === person.mobile && n.data.template === template, 3_000, skip)
          .catch(() => undefined);
        if (sent) secrets.codes.add(sent.data.params.code);
        return sent?.data.params.code;
      },
      30_000,
      `a ${template} code for ${person.mobile}`,
    );
    // Every try was answered 202, the ones before the registry caught up too (asserted here: a retry would swallow it).
    expect(new Set(statuses)).toEqual(new Set([202]));
    return code;
  }

  async function activate(person: { nationalCode: string; mobile: string; password: string }): Promise<void> {
    const code = await requestCode('/auth/activation/request', person, 'ACTIVATION_CODE');
    secrets.passwords.add(person.password);
    const confirmed = await api('POST', '/auth/activation/confirm', {
      body: { nationalCode: person.nationalCode, membershipType: 'GROUP', code, password: person.password },
    });
    expect(confirmed.status).toBe(201);
  }

  async function login(nationalCode: string, password: string, extra: Record<string, unknown> = {}): Promise<Answer<TokenPair>> {
    const answer = await api<TokenPair>('POST', '/auth/login', {
      body: { nationalCode, membershipType: 'GROUP', password, captchaId: await captcha(), captchaAnswer: CAPTCHA_TEST_ANSWER, ...extra },
    });
    if (answer.status === 200) secrets.refreshTokens.add(answer.body.refreshToken);
    return answer;
  }

  async function tokensOf(person: { nationalCode: string; password: string }): Promise<TokenPair> {
    const answer = await login(person.nationalCode, person.password);
    expect(answer.status).toBe(200);
    return answer.body;
  }

  async function publishMembers(...events: NewEvent[]): Promise<void> {
    await insurer.publishMany(Topics.insurerMembers, events);
  }

  beforeAll(async () => {
    rmSync(LOG_DIR, { recursive: true, force: true });
    for (const svc of SERVICES) databaseUrls[svc] = await createServiceDatabase(svc, `e2e_id_${svc}_${uniqueToken()}`);
    identityDb = new pg.Client({ connectionString: databaseUrls.identity });
    await identityDb.connect();
    provisionTopics(brokers, prefix);
    children = startServices({
      ports,
      brokers,
      topicPrefix: prefix,
      databaseUrls,
      logDir: LOG_DIR,
      extraEnv: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'debug',
        CAPTCHA_TEST_ANSWER,
        AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_RATE_LIMIT),
        RATE_LIMIT_PER_MINUTE: '100000',
      },
    });
    await recorder.start();
    await waitReady(ports, undefined, 120_000);

    // Dependents first and the contract last: the registry must link them when it arrives.
    await publishMembers(
      memberEnrolled({
        nationalCode: spouse.nationalCode,
        contractNumber,
        mainMemberNationalCode: main.nationalCode,
        relation: 'SPOUSE',
        firstName: 'مریم',
        lastName: 'کاظمی',
        mobile: spouse.mobile,
      }),
      memberEnrolled({
        nationalCode: child.nationalCode,
        contractNumber,
        mainMemberNationalCode: main.nationalCode,
        relation: 'CHILD',
        firstName: 'سارا',
        mobile: child.mobile,
      }),
      memberEnrolled({
        nationalCode: main.nationalCode,
        contractNumber,
        mainMemberNationalCode: main.nationalCode,
        firstName: 'علی',
        mobile: main.mobile,
      }),
      memberEnrolled({
        nationalCode: stranger.nationalCode,
        contractNumber: otherContract,
        mainMemberNationalCode: stranger.nationalCode,
        mobile: stranger.mobile,
      }),
      contractUpserted({ contractNumber }),
      contractUpserted({ contractNumber: otherContract }),
      {
        eventType: 'InsurerUpserted',
        subject: 'ASMARI',
        data: { insurerCode: 'ASMARI', name: 'بیمه آسماری', logoUrl: 'https://example.org/asmari.svg' },
      },
      {
        eventType: 'AnnouncementPublished',
        subject: `news-${contractNumber}`,
        data: {
          announcementId: `news-${contractNumber}`,
          insurerCode: 'ASMARI',
          title: 'اطلاعیه',
          body: 'متن اطلاعیه',
          publishedAt: '2026-01-01T08:00:00+03:30',
        },
      },
      {
        eventType: 'AnnouncementPublished',
        subject: `old-${contractNumber}`,
        data: {
          announcementId: `old-${contractNumber}`,
          insurerCode: 'ASMARI',
          title: 'منقضی',
          body: 'این اطلاعیه منقضی شده است',
          publishedAt: '2025-01-01T08:00:00+03:30',
          expiresAt: '2025-02-01T08:00:00+03:30',
        },
      },
    );
  });

  afterAll(async () => {
    await recorder.stop();
    await insurer.disconnect();
    if (children) await stopServices(children);
    await identityDb?.end();
    for (const url of Object.values(databaseUrls)) await dropDatabase(url);
  });

  it('takes the main member from activation through login, profile, password change, refresh and logout', async () => {
    await activate(main);
    const activated = await recorder.waitFor<{ eventType: string; data: { nationalCode: string; membershipType: string } }>(
      portalMembers(),
      (e) => e.eventType === 'MemberActivated' && e.data.nationalCode === main.nationalCode,
    );
    expect(activated.data.membershipType).toBe('GROUP');

    // Persian digits in the national code are accepted.
    const persianCode = main.nationalCode.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    const first = await login(persianCode, main.password, { rememberMe: true });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expiresIn: 600, refreshExpiresIn: 30 * 24 * 3600 });
    const token = first.body.accessToken;

    const me = await api('GET', '/me', { token });
    expect(me.body).toMatchObject({
      nationalCode: main.nationalCode,
      firstName: 'علی',
      mobile: main.mobile,
      membershipType: 'GROUP',
      ibanMasked: null,
      insurer: { code: 'ASMARI', name: 'بیمه آسماری', logoUrl: 'https://example.org/asmari.svg' },
    });

    const contracts = await api<Record<string, unknown>[]>('GET', '/me/contracts', { token });
    expect(contracts.body).toEqual([
      expect.objectContaining({ contractNumber, status: 'ACTIVE', active: true, startDate: '2024-03-20', startDateJalali: '1403/01/01' }),
    ]);

    const persons = await api<{ items: { nationalCode: string; relation: string; isMain: boolean }[]; total: number }>(
      'GET',
      `/me/contracts/${contractNumber}/members`,
      { token },
    );
    expect(persons.body.total).toBe(3);
    expect(persons.body.items.map((p) => [p.nationalCode, p.relation, p.isMain])).toEqual([
      [main.nationalCode, 'MAIN', true],
      [spouse.nationalCode, 'SPOUSE', false],
      [child.nationalCode, 'CHILD', false],
    ]);
    const searched = await api<{ items: { nationalCode: string }[] }>(
      'GET',
      `/me/contracts/${contractNumber}/members?q=${encodeURIComponent('كاظمي')}`,
      { token },
    );
    expect(searched.body.items.map((p) => p.nationalCode)).toEqual([spouse.nationalCode]);
    const paged = await api('GET', `/me/contracts/${contractNumber}/members?page=2&pageSize=2`, { token });
    expect(paged.body).toMatchObject({ page: 2, pageSize: 2, total: 3, items: [{ nationalCode: child.nationalCode }] });
    expect((await api('GET', `/me/contracts/${contractNumber}/members?pageSize=101`, { token })).status).toBe(400);

    const home = await api<{ announcements: { announcementId: string }[]; insurer: { name: string } }>('GET', '/home', { token });
    expect(home.status).toBe(200);
    expect(home.body.insurer.name).toBe('بیمه آسماری');
    expect(home.body.announcements.map((a) => a.announcementId)).toContain(`news-${contractNumber}`);
    const announcements = await api<{ items: { announcementId: string; publishedAtJalali: string }[] }>('GET', '/announcements', { token });
    expect(announcements.body.items.map((a) => a.announcementId)).toContain(`news-${contractNumber}`);
    expect(announcements.body.items.map((a) => a.announcementId)).not.toContain(`old-${contractNumber}`);

    // Profile: Sheba and email; MemberContactChanged carries what changed.
    const badIban = await api('PATCH', '/me', { token, body: { iban: 'IR820540102680020817909003' } });
    expect(badIban.status).toBe(400);
    expect(badIban.body.code).toBe('IBAN_INVALID');
    const edited = await api('PATCH', '/me', {
      token,
      body: { iban: 'IR82 0540 1026 8002 0817 9090 02', email: 'ali@example.org', address: 'شیراز' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ ibanMasked: 'IR••••••••••••••••••••9002', email: 'ali@example.org', address: 'شیراز' });
    const changed = await recorder.waitFor<{ eventType: string; data: Record<string, string> }>(
      portalMembers(),
      (e) => e.eventType === 'MemberContactChanged' && e.data.nationalCode === main.nationalCode,
    );
    expect(changed.data).toEqual({
      nationalCode: main.nationalCode,
      iban: 'IR820540102680020817909002',
      email: 'ali@example.org',
      address: 'شیراز',
    });

    // A new mobile needs the code sent to it.
    const newNumber = newMobile();
    const withoutCode = await api('PATCH', '/me', { token, body: { mobile: newNumber } });
    expect(withoutCode.status).toBe(400);
    const skip = recorder.values(notifications()).length;
    expect((await api('POST', '/me/mobile/verify', { token, body: { mobile: newNumber } })).status).toBe(202);
    const sms = await recorder.waitFor<Notification>(notifications(), (n) => n.data.to === newNumber, 15_000, skip);
    secrets.codes.add(sms.data.params.code);
    const wrongCode = sms.data.params.code === '000000' ? '111111' : '000000';
    expect((await api('PATCH', '/me', { token, body: { mobile: newNumber, mobileCode: wrongCode } })).body.code).toBe('CODE_INVALID');
    const moved = await api('PATCH', '/me', { token, body: { mobile: newNumber, mobileCode: sms.data.params.code } });
    expect(moved.body.mobile).toBe(newNumber);

    // Password change: wrong current password, weak new one, then success; other sessions end, this one lives on.
    const other = await tokensOf(main);
    const newPassword = `Main-new-${uniqueToken()}`;
    secrets.passwords.add(newPassword);
    const wrongCurrent = await api('PUT', '/me/password', { token, body: { currentPassword: 'not-my-password', newPassword } });
    expect([wrongCurrent.status, wrongCurrent.body.code]).toEqual([403, 'CURRENT_PASSWORD_INCORRECT']);
    const weak = await api('PUT', '/me/password', { token, body: { currentPassword: main.password, newPassword: main.nationalCode } });
    expect([weak.status, weak.body.code]).toEqual([400, 'WEAK_PASSWORD']);
    expect((await api('PUT', '/me/password', { token, body: { currentPassword: main.password, newPassword } })).status).toBe(204);
    expect((await api('POST', '/auth/refresh', { body: { refreshToken: other.refreshToken } })).body.code).toBe('REFRESH_TOKEN_INVALID');
    expect((await login(main.nationalCode, main.password)).status).toBe(401);
    main.password = newPassword;

    // Refresh rotates; the spent token, presented again, revokes the whole family.
    const refreshed = await api<TokenPair>('POST', '/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    secrets.refreshTokens.add(refreshed.body.refreshToken);
    expect(refreshed.body.refreshToken).not.toBe(first.body.refreshToken);
    expect((await api('GET', '/me', { token: refreshed.body.accessToken })).status).toBe(200);
    const reused = await api('POST', '/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect([reused.status, reused.body.code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    const afterReuse = await api('POST', '/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    expect([afterReuse.status, afterReuse.body.code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);

    // Logout ends the session.
    const session = await tokensOf(main);
    expect(session.refreshExpiresIn).toBe(12 * 3600);
    expect((await api('POST', '/auth/logout', { body: { refreshToken: session.refreshToken } })).status).toBe(204);
    expect((await api('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
  });

  it('refuses the access token of an ended session within a second on every member route, at the gateway and at each service', async () => {
    // Every route the OpenAPI document marks as needing a token, with made-up path parameters: what matters here is
    // only whether the token is accepted (anything but 401) or refused (401 SESSION_REVOKED).
    const document = (await (await fetch(`http://127.0.0.1:${ports.gateway}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    const memberRoutes = Object.entries(document.paths).flatMap(([route, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => JSON.stringify(operation.security) === '[{"bearer":[]}]')
        .map(([method]) => ({
          method: method.toUpperCase(),
          route: route.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, 'X1'),
        })),
    );
    expect(memberRoutes.length).toBeGreaterThanOrEqual(15);
    const asks = (token: string) =>
      Promise.all(
        memberRoutes.map(async ({ method, route }) => {
          const answer = await fetch(`${API}${route}`, {
            method,
            headers: { authorization: `Bearer ${token}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
            body: method === 'GET' ? undefined : '{}',
          });
          const body = (await answer.json().catch(() => ({}))) as { code?: string };
          return `${method} ${route} ${answer.status === 401 ? `401 ${body.code}` : 'accepted'}`;
        }),
      );
    // The services verify the relayed token themselves: each refuses it on its own port too.
    const direct = (token: string) =>
      Promise.all(
        [
          [ports.identity, '/me'],
          [ports.claims, '/claims'],
          [ports.referrals, '/referrals'],
        ].map(async ([port, route]) => {
          const answer = await fetch(`http://127.0.0.1:${port}${route}`, { headers: { authorization: `Bearer ${token}` } });
          return `${port}${route} ${answer.status}`;
        }),
      );

    for (const end of ['logout', 'password change', 'reused refresh token'] as const) {
      const ending = await tokensOf(main);
      const staying = await tokensOf(main);
      const accepted = memberRoutes.map(({ method, route }) => `${method} ${route} accepted`);
      expect(await asks(ending.accessToken)).toEqual(accepted);
      expect(await direct(ending.accessToken)).toEqual([
        `${ports.identity}/me 200`,
        `${ports.claims}/claims 200`,
        `${ports.referrals}/referrals 200`,
      ]);

      let ended: number;
      if (end === 'logout') {
        expect((await api('POST', '/auth/logout', { body: { refreshToken: ending.refreshToken } })).status).toBe(204);
        ended = Date.now();
      } else if (end === 'password change') {
        // The session that changes the password lives on; every other one ends.
        const newPassword = `Main-rev-${uniqueToken()}`;
        secrets.passwords.add(newPassword);
        const changed = await api('PUT', '/me/password', {
          token: staying.accessToken,
          body: { currentPassword: main.password, newPassword },
        });
        expect(changed.status).toBe(204);
        ended = Date.now();
        main.password = newPassword;
      } else {
        const rotated = await api<TokenPair>('POST', '/auth/refresh', { body: { refreshToken: ending.refreshToken } });
        secrets.refreshTokens.add(rotated.body.refreshToken);
        expect((await api('POST', '/auth/refresh', { body: { refreshToken: ending.refreshToken } })).body.code).toBe(
          'REFRESH_TOKEN_REUSED',
        );
        ended = Date.now();
      }
      // Polled: the first refusal at the gateway comes within a second of the session's end.
      const refused = await eventually(
        async () => ((await api('GET', '/me', { token: ending.accessToken })).status === 401 ? Date.now() : undefined),
        5_000,
        `the token of a session ended by ${end} refused`,
      );
      expect(refused - ended).toBeLessThan(1_000);
      expect(await asks(ending.accessToken)).toEqual(memberRoutes.map(({ method, route }) => `${method} ${route} 401 SESSION_REVOKED`));
      expect(await direct(ending.accessToken)).toEqual([
        `${ports.identity}/me 401`,
        `${ports.claims}/claims 401`,
        `${ports.referrals}/referrals 401`,
      ]);
      if (end === 'password change') {
        // The session that changed the password is not revoked.
        expect((await api('GET', '/me', { token: staying.accessToken })).status).toBe(200);
      }
      expect((await api('POST', '/auth/refresh', { body: { refreshToken: staying.refreshToken } })).status).toBe(200);
    }
  });

  it('lets a dependent activate separately and see only themselves', async () => {
    await activate(child);
    const { accessToken: token } = await tokensOf(child);
    const me = await api('GET', '/me', { token });
    expect(me.body).toMatchObject({ nationalCode: child.nationalCode, firstName: 'سارا' });
    const persons = await api<{ items: { nationalCode: string; isMain: boolean }[]; total: number }>(
      'GET',
      `/me/contracts/${contractNumber}/members`,
      { token },
    );
    expect(persons.body).toMatchObject({ total: 1, items: [{ nationalCode: child.nationalCode, isMain: false }] });
  });

  it('answers 404 when a member asks for a contract they are not enrolled in, and 401/403 on account routes without their own token', async () => {
    await activate(stranger);
    const { accessToken: strangerToken } = await tokensOf(stranger);
    const theirs = await api('GET', `/me/contracts/${contractNumber}/members`, { token: strangerToken });
    expect([theirs.status, theirs.body.code]).toEqual([404, 'NOT_FOUND']);
    // Exists-or-not is not revealed: an unknown contract answers the same.
    expect((await api('GET', '/me/contracts/NO-SUCH/members', { token: strangerToken })).status).toBe(404);
    expect((await api<unknown[]>('GET', '/me/contracts', { token: strangerToken })).body).toEqual([
      expect.objectContaining({ contractNumber: otherContract }),
    ]);
    // A dependent cannot see the main member's data through the main member's contract.
    const { accessToken: childToken } = await tokensOf(child);
    const childView = await api<{ items: { nationalCode: string }[] }>(
      'GET',
      `/me/contracts/${contractNumber}/members?q=${main.nationalCode}`,
      {
        token: childToken,
      },
    );
    expect(childView.body.items).toEqual([]);
    // Account routes act only on the caller's own account: no token, no access; a wrong current password, 403.
    for (const [method, route] of [
      ['GET', '/me'],
      ['PATCH', '/me'],
      ['PUT', '/me/password'],
      ['GET', '/me/contracts'],
      ['GET', `/me/contracts/${contractNumber}/members`],
      ['GET', '/home'],
      ['GET', '/announcements'],
      ['POST', '/me/mobile/verify'],
    ] as const) {
      const answer = await api(method, route, { body: method === 'GET' ? undefined : {} });
      expect([route, answer.status, answer.body.code]).toEqual([route, 401, 'UNAUTHORIZED']);
    }
    const forged = await api('PUT', '/me/password', {
      token: strangerToken,
      body: { currentPassword: main.password, newPassword: 'whatever-123' },
    });
    expect([forged.status, forged.body.code]).toEqual([403, 'CURRENT_PASSWORD_INCORRECT']);
  });

  it('refuses wrong, expired and reused captchas, invalid national codes and weak passwords with their codes', async () => {
    const wrong = await api('POST', '/auth/login', {
      body: {
        nationalCode: main.nationalCode,
        membershipType: 'GROUP',
        password: main.password,
        captchaId: await captcha(),
        captchaAnswer: 'nope',
      },
    });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'CAPTCHA_INVALID']);

    const used = await captcha();
    const body = {
      nationalCode: main.nationalCode,
      membershipType: 'GROUP',
      password: main.password,
      captchaId: used,
      captchaAnswer: CAPTCHA_TEST_ANSWER,
    };
    expect((await api('POST', '/auth/login', { body })).status).toBe(200);
    const reused = await api('POST', '/auth/login', { body });
    expect([reused.status, reused.body.code]).toEqual([400, 'CAPTCHA_EXPIRED']);

    // Two minutes are simulated by ageing the challenge in the database.
    const old = await captcha();
    await identityDb.query(`UPDATE captchas SET expires_at = now() - interval '1 second' WHERE id = $1`, [old]);
    const expired = await api('POST', '/auth/login', { body: { ...body, captchaId: old } });
    expect([expired.status, expired.body.code]).toEqual([400, 'CAPTCHA_EXPIRED']);

    const invalidCode = await api('POST', '/auth/login', {
      body: { ...body, nationalCode: '0499370898', captchaId: await captcha() },
      headers: { 'accept-language': 'fa' },
    });
    expect(invalidCode.status).toBe(400);
    expect(invalidCode.body).toMatchObject({
      code: 'NATIONAL_CODE_INVALID',
      message: 'کد ملی معتبر نیست.',
      details: [{ field: 'nationalCode' }],
    });

    const weak = await api('POST', '/auth/activation/confirm', {
      body: { nationalCode: spouse.nationalCode, membershipType: 'GROUP', code: '123456', password: 'short' },
    });
    expect([weak.status, weak.body.code]).toEqual([400, 'WEAK_PASSWORD']);
    const badCode = await api('POST', '/auth/activation/confirm', {
      body: { nationalCode: spouse.nationalCode, membershipType: 'GROUP', code: '123456', password: 'long-enough-1' },
    });
    expect([badCode.status, badCode.body.code]).toEqual([400, 'CODE_INVALID']);
  });

  it('does not reveal whether a person is enrolled when asked for a code', async () => {
    const unknown = { nationalCode: newNationalCode(), mobile: newMobile() };
    const wrongMobile = { nationalCode: spouse.nationalCode, mobile: newMobile() };
    for (const person of [unknown, wrongMobile]) {
      const skip = recorder.values(notifications()).length;
      const answer = await api('POST', '/auth/activation/request', {
        body: { ...person, membershipType: 'GROUP', captchaId: await captcha(), captchaAnswer: CAPTCHA_TEST_ANSWER },
      });
      expect(answer.status).toBe(202);
      // Identity publishes a code before it answers: once the recorder has read everything published so far, none is for this mobile.
      await recorder.caughtUp(notifications());
      expect(
        recorder
          .values<Notification>(notifications())
          .slice(skip)
          .filter((n) => n.data.to === person.mobile),
      ).toEqual([]);
    }
    // The forgotten-password route answers the same for an unknown person.
    const forgot = await api('POST', '/auth/password/forgot', {
      body: { ...unknown, membershipType: 'GROUP', captchaId: await captcha(), captchaAnswer: CAPTCHA_TEST_ANSWER },
    });
    expect(forgot.status).toBe(202);
  });

  it('locks an account after five wrong passwords, answering like a wrong password plus Retry-After, and a reset lifts it', async () => {
    await activate(spouse);
    for (let i = 1; i <= 5; i++) {
      const answer = await login(spouse.nationalCode, `wrong-password-${i}`);
      expect([answer.status, (answer.body as unknown as { code: string }).code]).toEqual([401, 'INVALID_CREDENTIALS']);
      if (i < 5) expect(answer.headers.get('retry-after')).toBeNull();
    }
    const locked = await login(spouse.nationalCode, spouse.password);
    expect([locked.status, (locked.body as unknown as { code: string }).code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // An unknown account answers exactly like a wrong password.
    const unknown = await login(newNationalCode(), 'whatever-password');
    expect([unknown.status, (unknown.body as unknown as { code: string }).code]).toEqual([401, 'INVALID_CREDENTIALS']);

    const code = await requestCode('/auth/password/forgot', spouse, 'PASSWORD_RESET_CODE');
    spouse.password = `Spouse-reset-${uniqueToken()}`;
    secrets.passwords.add(spouse.password);
    const reset = await api('POST', '/auth/password/reset', {
      body: { nationalCode: spouse.nationalCode, membershipType: 'GROUP', code, newPassword: spouse.password },
    });
    expect(reset.status).toBe(204);
    expect((await login(spouse.nationalCode, spouse.password)).status).toBe(200);
  });

  it('refuses tampered, unsigned, foreign and expired access tokens', async () => {
    const { accessToken } = await tokensOf(main);
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const asChild = Buffer.from(JSON.stringify({ ...claims, sub: child.nationalCode })).toString('base64url');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);

    for (const token of [`${header}.${asChild}.${signature}`, unsigned, foreign, 'not-a-jwt']) {
      const answer = await api('GET', '/me', { token });
      expect([answer.status, answer.body.code]).toEqual([401, 'UNAUTHORIZED']);
    }
    // Internal services verify the relayed token themselves too.
    const direct = await fetch(`http://127.0.0.1:${ports.identity}/me`, {
      headers: { authorization: `Bearer ${header}.${asChild}.${signature}` },
    });
    expect(direct.status).toBe(401);

    // A token past its lifetime, properly signed with identity's own key.
    const { rows } = await identityDb.query<{ kid: string; private_key_pem: string }>('SELECT kid, private_key_pem FROM signing_keys');
    const key = await importPKCS8(rows[0]!.private_key_pem, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims, iat: now - 1200, exp: now - 600 })
      .setProtectedHeader({ alg: 'RS256', kid: rows[0]!.kid })
      .sign(key);
    const answer = await api('GET', '/me', { token: expired });
    expect([answer.status, answer.body.code]).toEqual([401, 'TOKEN_EXPIRED']);
    // And the same claims with a fresh expiry pass: the refusal above was the expiry alone.
    const fresh = await new SignJWT({ ...claims, iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: rows[0]!.kid })
      .sign(key);
    expect((await api('GET', '/me', { token: fresh })).status).toBe(200);
  });

  it('limits credential routes per IP with 429 and Retry-After', async () => {
    let limited: Answer | undefined;
    for (let i = 0; i < AUTH_RATE_LIMIT + 5 && !limited; i++) {
      const answer = await api('POST', '/auth/password/reset', { body: {} });
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(400);
    }
    expect(limited?.body.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other routes are not affected by that limit.
    expect((await api('GET', '/auth/captcha')).status).toBe(200);
  });

  it("limits credential routes on identity's own port too, counting the client the gateway names, not the gateway", async () => {
    // A client that reaches identity directly gets its own limit there (before, only the gateway limited).
    const direct = async (forwardedFor?: string) =>
      (
        await fetch(`http://127.0.0.1:${ports.identity}/auth/password/reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
          body: '{}',
        })
      ).status;
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_RATE_LIMIT + 5 && !statuses.includes(429); i++) statuses.push(await direct('198.51.100.77'));
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 400)).toBe(true);
    // Another client relayed by a trusted proxy (loopback: the gateway) has its own count.
    expect(await direct('198.51.100.78')).toBe(400);
  });

  it('never stores or logs passwords, one-time codes or refresh tokens in clear text', async () => {
    expect(secrets.passwords.size).toBeGreaterThanOrEqual(4);
    expect(secrets.codes.size).toBeGreaterThanOrEqual(4);
    expect(secrets.refreshTokens.size).toBeGreaterThanOrEqual(4);
    const tables = await identityDb.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    let database = '';
    for (const { tablename } of tables.rows) {
      const rows = await identityDb.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
      database += rows.rows.map((r) => r.row).join('\n');
    }
    // The accounts really are there, hashed with argon2id.
    expect(database).toContain('$argon2id$v=19$m=19456,t=2,p=1$');
    const logs = readdirSync(LOG_DIR)
      .map((file) => readFileSync(path.join(LOG_DIR, file), 'utf8'))
      .join('\n');
    expect(logs).toContain('"level"');
    for (const [where, text] of [
      ['database', database],
      ['logs', logs],
    ] as const) {
      for (const password of secrets.passwords) expect([where, text.includes(password)]).toEqual([where, false]);
      for (const token of secrets.refreshTokens) expect([where, text.includes(token)]).toEqual([where, false]);
      for (const code of secrets.codes) expect([where, new RegExp(`\\b${code}\\b`).test(text)]).toEqual([where, false]);
    }
  });

  it('stops every service gracefully on SIGTERM (each exits 0)', async () => {
    const codes = await stopServices(children);
    children = {};
    expect(Object.values(codes).every((c) => c === 0)).toBe(true);
  });
});
