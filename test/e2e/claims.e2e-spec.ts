// Black-box: claims through the gateway. The insurer publishes the seed and
// more claims on Kafka; members see what DOMAIN.md lets them see; the claims
// service is killed mid-batch and comes back without losing or doubling events.
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
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
  uniqueToken,
} from '@darman/testing';
import pg from 'pg';
import { DEMO_ACCOUNT, ensureAccount, login } from '../../scripts/lib/demo-account.mjs';
import { provisionTopics, seed, startServices, stopServices, waitReady, type Ports } from '../../scripts/lib/stack.mjs';

const ports: Ports = { gateway: 4400, identity: 4401, claims: 4402, referrals: 4403, providers: 4404 };
const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
const API = `http://127.0.0.1:${ports.gateway}/api/v1`;
const CAPTCHA = 'e2e-claims';
const LOG_DIR = path.join(REPO_ROOT, '.data', 'e2e-claims-logs');

async function get<T = Record<string, unknown>>(route: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${API}${route}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

const claimEvents = (claimId: string, patient: string, main: string, contractNumber: string): NewEvent[] => [
  {
    eventType: 'ClaimRegistered',
    subject: claimId,
    sequence: 1,
    data: {
      claimId,
      contractNumber,
      patientNationalCode: patient,
      mainMemberNationalCode: main,
      kind: 'REIMBURSEMENT',
      reason: 'ویزیت',
      admissionDate: '2026-01-10',
      registeredAt: '2026-01-12',
      requestedAmount: 1_000_000,
    },
  },
  {
    eventType: 'ClaimCalculated',
    subject: claimId,
    sequence: 2,
    data: {
      claimId,
      deductionsAmount: 100_000,
      coveredAmount: 900_000,
      franchiseAmount: 90_000,
      payableAmount: 810_000,
      issuedAt: '2026-01-15',
    },
  },
  { eventType: 'ClaimSentToBank', subject: claimId, sequence: 3, data: { claimId, sentAt: '2026-01-20T11:00:00+03:30', amount: 810_000 } },
  { eventType: 'ClaimPaid', subject: claimId, sequence: 4, data: { claimId, paidAt: '2026-01-21T09:00:00+03:30' } },
];

describe('claims through the gateway', () => {
  const brokers = testBrokers();
  const prefix = `e2ecl${uniqueToken()}.`;
  const namer = new TopicNamer(prefix);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e-claims' });
  const insurer = new EventPublisher(kafka, 'asmari-core', namer);
  const databaseUrls: Record<string, string> = {};
  let children: Record<string, ChildProcess>;
  let claimsDb: pg.Client;
  const tokens: Record<string, string> = {};

  const spouse = { ...DEMO_ACCOUNT, nationalCode: '0499370902', password: 'spouse-pass-1404' };
  const strangerContract = `S${uniqueToken()}`;
  const stranger = { nationalCode: newNationalCode(), membershipType: 'GROUP', mobile: newMobile(), password: 'stranger-pass-1' };
  const startOptions = () => ({
    ports,
    brokers,
    topicPrefix: prefix,
    databaseUrls,
    logDir: LOG_DIR,
    extraEnv: { NODE_ENV: 'test', CAPTCHA_TEST_ANSWER: CAPTCHA, RATE_LIMIT_PER_MINUTE: '100000', AUTH_RATE_LIMIT_PER_MINUTE: '100000' },
  });

  beforeAll(async () => {
    for (const svc of SERVICES) databaseUrls[svc] = await createServiceDatabase(svc, `e2e_cl_${svc}_${uniqueToken()}`);
    claimsDb = new pg.Client({ connectionString: databaseUrls.claims });
    await claimsDb.connect();
    provisionTopics(brokers, prefix);
    children = startServices(startOptions());
    await waitReady(ports, undefined, 120_000);
    seed(brokers, prefix);
    await insurer.publishMany(Topics.insurerMembers, [
      contractUpserted({ contractNumber: strangerContract }),
      memberEnrolled({
        nationalCode: stranger.nationalCode,
        contractNumber: strangerContract,
        mainMemberNationalCode: stranger.nationalCode,
        mobile: stranger.mobile,
      }),
    ]);
    await insurer.publishMany(Topics.insurerClaims, [
      ...claimEvents('CHILD-1', '0499370910', '0499370899', '1722169').slice(0, 2),
      ...claimEvents('STRANGER-1', stranger.nationalCode, stranger.nationalCode, strangerContract).slice(0, 1),
    ]);
    for (const [name, account] of [
      ['main', DEMO_ACCOUNT],
      ['spouse', spouse],
      ['stranger', stranger],
    ] as const) {
      await ensureAccount({ api: API, brokers, topicPrefix: prefix, captchaAnswer: CAPTCHA, account });
      tokens[name] = (await login(API, account, CAPTCHA))!.accessToken;
    }
  });

  afterAll(async () => {
    await insurer.disconnect();
    if (children) await stopServices(children);
    await claimsDb?.end();
    for (const url of Object.values(databaseUrls)) await dropDatabase(url);
  });

  it("shows the seed's two claims to the demo member with the seed's amounts and Jalali dates", async () => {
    const list = await eventually(async () => {
      const answer = await get<{ items: Record<string, unknown>[]; total: number }>('/claims', tokens.main!);
      return answer.body.total === 2 ? answer.body : undefined;
    }, 30_000);
    expect(list.items).toEqual([
      expect.objectContaining({
        claimId: '15342268',
        admissionDate: '2019-10-18',
        admissionDateJalali: '1398/07/26',
        reason: 'آزمایش',
        requestedAmount: 3_146_000,
        payableAmount: 2_831_400,
        contractNumber: '1722169',
      }),
      expect.objectContaining({ claimId: '14543759', admissionDate: '2019-09-05', admissionDateJalali: '1398/06/14', reason: 'عینک' }),
    ]);
    // A page past the end still says how many there are.
    expect((await get('/claims?page=9', tokens.main!)).body).toMatchObject({ items: [], page: 9, total: 2 });
    const detail = await get('/claims/15342268', tokens.main!);
    expect(detail.body).toMatchObject({
      status: 'SENT_TO_BANK',
      registeredAtJalali: '1398/08/12',
      issuedAtJalali: '1398/08/18',
      sentToBankAt: '2019-11-11T10:00:00+03:30',
      sentToBankAtJalali: '1398/08/20',
      requestedAmount: 3_146_000,
      deductionsAmount: 0,
      coveredAmount: 3_146_000,
      franchiseAmount: 314_600,
      payableAmount: 2_831_400,
      payment: { dueBy: '2019-11-30', dueByJalali: '1398/09/09', expectedDepositAt: '2019-11-11T15:45:00+03:30' },
    });
    expect((detail.body.timeline as { status: string }[]).map((t) => t.status)).toEqual(['REGISTERED', 'CALCULATED', 'SENT_TO_BANK']);
  });

  it('lets the main member see a dependent’s claims and nobody else see theirs (404)', async () => {
    const child = await eventually(async () => {
      const answer = await get<{ items: { claimId: string }[] }>('/claims?nationalCode=0499370910', tokens.main!);
      return answer.body.items.length === 1 ? answer.body : undefined;
    }, 30_000);
    expect(child.items[0]!.claimId).toBe('CHILD-1');
    // The spouse is a dependent: only their own claims.
    expect((await get('/claims?nationalCode=0499370899', tokens.spouse!)).status).toBe(404);
    expect((await get('/claims/15342268', tokens.spouse!)).status).toBe(404);
    expect((await get('/claims/CHILD-1', tokens.spouse!)).status).toBe(404);
    expect((await get<{ total: number }>('/claims', tokens.spouse!)).body.total).toBe(0);
    // A member of another contract.
    expect((await get('/claims/15342268', tokens.stranger!)).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await get('/claims?contractNumber=1722169', tokens.stranger!)).status).toBe(404);
    const own = await eventually(async () => {
      const answer = await get<{ items: { claimId: string }[] }>('/claims', tokens.stranger!);
      return answer.body.items.length === 1 ? answer.body : undefined;
    }, 30_000);
    expect(own.items[0]!.claimId).toBe('STRANGER-1');
    expect((await get('/claims/NO-SUCH-CLAIM', tokens.main!)).status).toBe(404);
    // And the home page counts the family's claims in progress.
    expect((await get<{ counts: { claimsInProgress: number } }>('/home', tokens.main!)).body.counts.claimsInProgress).toBe(3);
  });

  it('loses no event and applies none twice when the claims service is killed mid-batch', async () => {
    const count = 3_000;
    const ids = Array.from({ length: count }, (_, i) => `K${uniqueToken()}-${i}`);
    const events = ids.flatMap((id) => claimEvents(id, stranger.nationalCode, stranger.nationalCode, strangerContract));
    // Kill it while a batch's transaction is open, deterministically: once part of the events is committed, the test
    // takes an EXCLUSIVE lock on the claims table (reads still pass) and publishes the rest. The next batch writes its
    // inbox rows (so its transaction holds an id), then waits on the lock; the service is killed exactly then, and the
    // lock is released only after the process is gone, so that transaction cannot commit.
    const locker = new pg.Client({ connectionString: databaseUrls.claims });
    await locker.connect();
    const exited = new Promise((resolve) => children.claims!.once('exit', resolve));
    let open: string;
    try {
      await insurer.publishMany(Topics.insurerClaims, events.slice(0, 2_000));
      await eventually(async () => {
        const { rows } = await claimsDb.query(`SELECT count(*)::int AS n FROM inbox_events WHERE subject LIKE 'K%'`);
        return rows[0].n > 0 ? true : undefined;
      }, 60_000);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE claims IN EXCLUSIVE MODE');
      for (let i = 2_000; i < events.length; i += 2_000) await insurer.publishMany(Topics.insurerClaims, events.slice(i, i + 2_000));
      open = await eventually(
        async () => {
          const { rows } = await claimsDb.query<{ xid: string }>(
            `SELECT backend_xid::text AS xid FROM pg_stat_activity
              WHERE application_name = 'darman-consumer' AND datname = current_database()
                AND backend_xid IS NOT NULL AND wait_event_type = 'Lock' LIMIT 1`,
          );
          return rows[0]?.xid;
        },
        60_000,
        'a batch transaction of the claims consumer waiting on the lock',
      );
      children.claims!.kill('SIGKILL');
      await exited;
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    // That transaction was rolled back: the kill landed inside a batch.
    await eventually(
      async () => {
        const { rows } = await claimsDb.query<{ status: string }>(
          `SELECT pg_xact_status((((txid_current() >> 32) << 32) + $1::bigint)::text::xid8) AS status`,
          [open],
        );
        return rows[0]?.status === 'aborted' ? true : undefined;
      },
      30_000,
      'the killed batch transaction rolled back',
    );
    const storedAtKill = Number(
      (await claimsDb.query(`SELECT count(*) AS n FROM inbox_events WHERE subject LIKE 'K%'`)).rows[0].n as string,
    );
    expect(storedAtKill).toBeLessThan(count * 4);

    Object.assign(children, startServices({ ...startOptions(), only: ['claims'] }));
    await eventually(
      async () => {
        const { rows } = await claimsDb.query(`SELECT count(*)::int AS n FROM claims WHERE claim_id LIKE 'K%' AND status = 'PAID'`);
        return rows[0].n === count ? true : undefined;
      },
      120_000,
      'every claim paid after the restart',
    );
    // The restarted consumer applied exactly the events the killed one had not committed: an event applied twice
    // would count here a second time (the counter starts at 0 in the new process).
    const metrics = await (await fetch(`http://127.0.0.1:${startOptions().ports.claims}/metrics`)).text();
    const applied = metrics
      .split('\n')
      .filter(
        (l) => l.startsWith('darman_consumer_messages_total{') && l.includes('topic="insurer.claims.v1"') && l.includes('result="applied"'),
      )
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(applied).toBe(count * 4 - storedAtKill);
    // Every event stored exactly once, and every claim folded from exactly its four events.
    const stored = await claimsDb.query(
      `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM inbox_events WHERE subject LIKE 'K%'`,
    );
    expect(stored.rows[0]).toEqual({ n: count * 4, d: count * 4 });
    const odd = await claimsDb.query(
      `SELECT count(*)::int AS n FROM claims WHERE claim_id LIKE 'K%'
          AND (jsonb_array_length(timeline) <> 4 OR payable_amount <> 810000 OR sent_amount <> 810000)`,
    );
    expect(odd.rows[0].n).toBe(0);
  });

  it("stops showing a contract's claims to a member the insurer removes from it within one second, with the token still valid", async () => {
    await eventually(async () => ((await get('/claims/STRANGER-1', tokens.stranger!)).status === 200 ? true : undefined), 30_000);
    await insurer.publish(Topics.insurerMembers, {
      eventType: 'MemberLeft',
      subject: stranger.nationalCode,
      data: { nationalCode: stranger.nationalCode, contractNumber: strangerContract, leftOn: new Date().toISOString().slice(0, 10) },
    });
    // From the moment the broker has the event: the gateway's token cache and the claims service's registry copy
    // must not keep answering for the old membership.
    const published = Date.now();
    let elapsed = 0;
    for (;;) {
      const answer = await get('/claims/STRANGER-1', tokens.stranger!);
      elapsed = Date.now() - published;
      if (answer.status === 404 || elapsed > 5_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(elapsed).toBeLessThan(1_000);
    const list = await get<{ items?: { claimId: string }[] }>('/claims', tokens.stranger!);
    expect(list.body.items?.map((c) => c.claimId) ?? []).not.toContain('STRANGER-1');
  });
});
