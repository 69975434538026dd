// Black-box: referral letters through the gateway. The main member asks for a letter for the child; an insurer
// system (this test) reads ReferralRequested from Kafka, fetches the prescription with a service-client token,
// asks for documents, sets the exam, approves another centre; the member follows each step; a centre verifies the
// letter; the clock moves past validUntil and it expires. Then every refused upload, BOLA, and a decision after
// cancellation.
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { dlqTopic, DlqHeaders, Topics } from '@darman/contracts';
import { createKafka, EventPublisher, TopicNamer, type KafkaClient } from '@darman/messaging';
import {
  contractUpserted,
  createServiceDatabase,
  dropDatabase,
  eventually,
  memberEnrolled,
  newMobile,
  newNationalCode,
  readWholeTopic,
  REPO_ROOT,
  testBrokers,
  uniqueToken,
} from '@darman/testing';
import pg from 'pg';
import sharp from 'sharp';
import {
  bytesOfSize,
  executable,
  GPS_MARKER,
  jpegWithGpsExif,
  pdf,
  pdfWithJavaScript,
  plainPng,
  pngBomb,
} from '../../apps/referrals/src/attachments/attachment-fixtures.js';
import { DEMO_ACCOUNT, ensureAccount, login } from '../../scripts/lib/demo-account.mjs';
import { provisionTopics, seed, startServices, stopServices, waitReady, type Ports } from '../../scripts/lib/stack.mjs';

const ports: Ports = { gateway: 4500, identity: 4501, claims: 4502, referrals: 4503, providers: 4504 };
const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
const API = `http://127.0.0.1:${ports.gateway}/api/v1`;
const REFERRALS = `http://127.0.0.1:${ports.referrals}`;
const CAPTCHA = 'e2e-referrals';
const LOG_DIR = path.join(REPO_ROOT, '.data', 'e2e-referrals-logs');
const CLIENT_SECRET = 'e2e-insurer-secret-1404';
const CHILD = '0499370910';
const SPOUSE = '0499370902';
const CONTRACT = '1722169';

const sha256 = (bytes: Buffer | ArrayBuffer) =>
  createHash('sha256')
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest('hex');
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

interface Envelope {
  eventId: string;
  eventType: string;
  subject: string;
  data: Record<string, unknown> & { attachments?: { id: string; kind: string; sha256: string; contentType: string }[] };
}

/** Every message of the portal topics this test watches, as they arrive. */
class Collector {
  readonly messages: { topic: string; value: Envelope }[] = [];
  private consumer?: ReturnType<KafkaClient['consumer']>;

  async start(kafka: KafkaClient, topics: string[]): Promise<void> {
    this.consumer = kafka.consumer({ groupId: `e2e-ref-collector-${uniqueToken()}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    for (const topic of topics) await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        this.messages.push({ topic, value: JSON.parse(message.value!.toString('utf8')) as Envelope });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  of(topic: string, where: (e: Envelope) => boolean): Envelope[] {
    return this.messages.filter((m) => m.topic === topic && where(m.value)).map((m) => m.value);
  }

  waitFor(topic: string, where: (e: Envelope) => boolean, what: string): Promise<Envelope> {
    return eventually(async () => this.of(topic, where)[0], 30_000, what);
  }
}

describe('referral letters through the gateway', () => {
  const brokers = testBrokers();
  const prefix = `e2erf${uniqueToken()}.`;
  const namer = new TopicNamer(prefix);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e-referrals' });
  const insurer = new EventPublisher(kafka, 'asmari-referrals', namer);
  const collector = new Collector();
  const databaseUrls: Record<string, string> = {};
  let children: Record<string, ChildProcess>;
  let referralsDb: pg.Client;
  const tokens: Record<string, string> = {};
  const strangerContract = `S${uniqueToken()}`;
  const stranger = { nationalCode: newNationalCode(), membershipType: 'GROUP', mobile: newMobile(), password: 'stranger-pass-1' };
  const spouse = { ...DEMO_ACCOUNT, nationalCode: SPOUSE, password: 'spouse-pass-1404' };
  const portalReferrals = namer.topic(Topics.portalReferrals);
  const notifications = namer.topic(Topics.portalNotifications);

  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const get = async <T = Record<string, unknown>>(route: string, who: string) => {
    const response = await fetch(`${API}${route}`, { headers: auth(who) });
    return { status: response.status, body: (await response.json()) as T };
  };
  const postForm = async (route: string, who: string, form: FormData) => {
    const response = await fetch(`${API}${route}`, { method: 'POST', headers: auth(who), body: form });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const requestForm = (overrides: Record<string, string> = {}, files: [string, Buffer, string, string?][] = defaultFiles()) => {
    const form = new FormData();
    const fields = {
      patientNationalCode: CHILD,
      contractNumber: CONTRACT,
      providerId: '1002',
      admissionDate: day(2),
      doctorName: 'دکتر رضایی',
      reason: 'جراحی آپاندیس',
      serviceCategory: 'SURGERY',
      ...overrides,
    };
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [field, bytes, name, type] of files) form.append(field, new Blob([bytes], type ? { type } : {}), name);
    return form;
  };
  const defaultFiles = (): [string, Buffer, string, string?][] => [
    ['prescription', pdf('BT /F1 12 Tf 72 712 Td (nuskhe) Tj ET'), 'nuskhe.pdf', 'application/pdf'],
    ['nationalCard', plainPng(40, 25), 'card.png', 'image/png'],
  ];
  const stored = async () => {
    const { rows } = await referralsDb.query<{ r: number; a: number }>(
      `SELECT (SELECT count(*)::int FROM referrals) AS r, (SELECT count(*)::int FROM referral_attachments) AS a`,
    );
    return rows[0]!;
  };
  const detail = (code: string, who = 'main') =>
    get<Record<string, unknown> & { status: string; timeline: { status: string; by: string }[] }>(`/referrals/${code}`, who);
  const waitStatus = (code: string, status: string) =>
    eventually(
      async () => {
        const answer = await detail(code);
        return answer.body.status === status ? answer.body : undefined;
      },
      30_000,
      `referral ${code} ${status}`,
    );

  beforeAll(async () => {
    for (const svc of SERVICES) databaseUrls[svc] = await createServiceDatabase(svc, `e2e_rf_${svc}_${uniqueToken()}`);
    referralsDb = new pg.Client({ connectionString: databaseUrls.referrals });
    await referralsDb.connect();
    provisionTopics(brokers, prefix);
    await collector.start(kafka, [portalReferrals, notifications]);
    children = startServices({
      ports,
      brokers,
      topicPrefix: prefix,
      databaseUrls,
      logDir: LOG_DIR,
      extraEnv: {
        NODE_ENV: 'test',
        CAPTCHA_TEST_ANSWER: CAPTCHA,
        RATE_LIMIT_PER_MINUTE: '100000',
        AUTH_RATE_LIMIT_PER_MINUTE: '100000',
        TEST_CLOCK: 'true',
        SERVICE_CLIENTS: `e2e-insurer:${sha256(Buffer.from(CLIENT_SECRET))}:referrals.attachments:read`,
      },
    });
    await waitReady(ports, undefined, 120_000);
    seed(brokers, prefix);
    await new EventPublisher(kafka, 'asmari-core', namer).publishMany(Topics.insurerMembers, [
      contractUpserted({ contractNumber: strangerContract }),
      memberEnrolled({
        nationalCode: stranger.nationalCode,
        contractNumber: strangerContract,
        mainMemberNationalCode: stranger.nationalCode,
        mobile: stranger.mobile,
      }),
    ]);
    for (const [name, account] of [
      ['main', DEMO_ACCOUNT],
      ['spouse', spouse],
      ['stranger', stranger],
    ] as const) {
      await ensureAccount({ api: API, brokers, topicPrefix: prefix, captchaAnswer: CAPTCHA, account });
      tokens[name] = (await login(API, account, CAPTCHA))!.accessToken;
    }
    // The referrals service's own copies: the seed's centres and the household.
    await eventually(async () => {
      const { rows } = await referralsDb.query(
        `SELECT (SELECT count(*)::int FROM referral_providers) AS p, (SELECT count(*)::int FROM registry_enrollments WHERE contract_number = $1) AS e`,
        [CONTRACT],
      );
      return rows[0].p >= 2 && rows[0].e >= 3 ? true : undefined;
    }, 60_000);
  });

  afterAll(async () => {
    await collector.stop();
    await insurer.disconnect();
    if (children) await stopServices(children);
    await referralsDb?.end();
    for (const url of Object.values(databaseUrls)) await dropDatabase(url);
  });

  it('takes a letter from request through documents, exam and approval of another centre, verifies it for the centre, and expires it', async () => {
    const photo = await jpegWithGpsExif();
    const created = await postForm(
      '/referrals',
      'main',
      requestForm({}, [
        ['prescription', photo, 'نسخه.jpg', 'image/jpeg'],
        ['nationalCard', plainPng(40, 25), 'card.png', 'image/png'],
      ]),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'SUBMITTED', warnings: [expect.objectContaining({ code: 'LEAD_TIME_SHORT' })] });
    const code = created.body.trackingCode as string;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);

    // The insurer's system learns of the request and fetches the prescription as a service client.
    const requested = await collector.waitFor(
      portalReferrals,
      (e) => e.eventType === 'ReferralRequested' && e.subject === code,
      'ReferralRequested',
    );
    expect(requested.data).toMatchObject({
      patientNationalCode: CHILD,
      mainMemberNationalCode: DEMO_ACCOUNT.nationalCode,
      contractNumber: CONTRACT,
      providerId: '1002',
      serviceCategory: 'SURGERY',
      examRequired: false,
    });
    const prescription = requested.data.attachments!.find((a) => a.kind === 'PRESCRIPTION')!;
    expect(prescription.contentType).toBe('image/jpeg');
    const tokenAnswer = await fetch(`http://127.0.0.1:${ports.identity}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'e2e-insurer', client_secret: CLIENT_SECRET }),
    });
    expect(tokenAnswer.status).toBe(200);
    const serviceToken = ((await tokenAnswer.json()) as { access_token: string }).access_token;
    const internalUrl = `${REFERRALS}/internal/referrals/${code}/attachments/${prescription.id}`;
    const file = await fetch(internalUrl, { headers: { authorization: `Bearer ${serviceToken}` } });
    expect(file.status).toBe(200);
    const fileBytes = Buffer.from(await file.arrayBuffer());
    expect(sha256(fileBytes)).toBe(prescription.sha256);
    // The photo was stored without its EXIF: no GPS in what the insurer (or the member) gets back.
    expect((await sharp(fileBytes).metadata()).exif).toBeUndefined();
    expect(fileBytes.includes(Buffer.from(GPS_MARKER))).toBe(false);
    // A member token does not open the insurer's route, nor a wrong secret get a token.
    expect((await fetch(internalUrl, { headers: auth('main') })).status).toBe(401);
    const wrongSecret = await fetch(`http://127.0.0.1:${ports.identity}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'e2e-insurer', client_secret: 'guess' }),
    });
    expect(wrongSecret.status).toBe(401);

    await insurer.publish(Topics.insurerReferrals, {
      eventType: 'ReferralDocumentsRequested',
      subject: code,
      sequence: 1,
      data: { trackingCode: code, documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش پزشک معالج' }], dueBy: day(5) },
    });
    const pended = await waitStatus(code, 'DOCUMENTS_REQUESTED');
    expect(pended.requestedDocuments).toEqual([{ kind: 'MEDICAL_REPORT', description: 'گزارش پزشک معالج', received: false }]);

    const report = new FormData();
    report.append('medicalReport', new Blob([pdf('BT (gozaresh) Tj ET')], { type: 'application/pdf' }), 'گزارش.pdf');
    const added = await postForm(`/referrals/${code}/attachments`, 'main', report);
    expect(added.status).toBe(201);
    expect(added.body.status).toBe('SUBMITTED');
    const documentsAdded = await collector.waitFor(
      portalReferrals,
      (e) => e.eventType === 'ReferralDocumentsAdded' && e.subject === code,
      'ReferralDocumentsAdded',
    );
    expect(documentsAdded.data.attachments!.map((a) => [a.kind, a.contentType])).toEqual([['MEDICAL_REPORT', 'application/pdf']]);

    await insurer.publish(Topics.insurerReferrals, {
      eventType: 'ReferralExamRequired',
      subject: code,
      sequence: 2,
      data: { trackingCode: code, examAt: `${day(1)}T09:30:00+03:30`, examPlace: 'شعبه مرکزی بیمه آسماری' },
    });
    const examined = await waitStatus(code, 'EXAM_REQUIRED');
    expect(examined.exam).toMatchObject({ place: 'شعبه مرکزی بیمه آسماری', atJalali: expect.stringMatching(/^14\d\d\/\d\d\/\d\d$/) });

    const validUntil = day(3);
    await insurer.publish(Topics.insurerReferrals, {
      eventType: 'ReferralApproved',
      subject: code,
      sequence: 3,
      data: { trackingCode: code, letterNumber: 'MN-1404-0077', validUntil, approvedProviderId: '1001' },
    });
    const approved = await waitStatus(code, 'APPROVED');
    expect(approved).toMatchObject({
      letterNumber: 'MN-1404-0077',
      validUntil,
      approvedProviderId: '1001',
      approvedProviderName: 'بیمارستان شفا',
    });
    expect(approved.timeline.map((t) => [t.status, t.by])).toEqual([
      ['SUBMITTED', 'MEMBER'],
      ['DOCUMENTS_REQUESTED', 'REFERRAL_UNIT'],
      ['SUBMITTED', 'MEMBER'],
      ['EXAM_REQUIRED', 'REFERRAL_UNIT'],
      ['APPROVED', 'REFERRAL_UNIT'],
    ]);
    // One SMS request per decision, to the household's mobile on record.
    const sms = await eventually(
      async () => {
        const found = collector.of(
          notifications,
          (e) => e.data.template === 'REFERRAL_STATUS' && (e.data.params as { trackingCode?: string }).trackingCode === code,
        );
        return found.length >= 3 ? found : undefined;
      },
      30_000,
      'three REFERRAL_STATUS notifications',
    );
    expect(sms.map((e) => [(e.data.params as { status: string }).status, e.data.to])).toEqual([
      ['DOCUMENTS_REQUESTED', DEMO_ACCOUNT.mobile],
      ['EXAM_REQUIRED', DEMO_ACCOUNT.mobile],
      ['APPROVED', DEMO_ACCOUNT.mobile],
    ]);

    // A centre verifies the letter with the child's national code only; the code may be typed in lower case with a dash.
    const verify = async (trackingCode: string, nationalCode: string) =>
      (await fetch(`${API}/referrals/verify?trackingCode=${encodeURIComponent(trackingCode)}&nationalCode=${nationalCode}`)).json();
    expect(await verify(code, CHILD)).toMatchObject({ valid: true, providerName: 'بیمارستان شفا', validUntil });
    expect(await verify(`${code.slice(0, 5).toLowerCase()}-${code.slice(5).toLowerCase()}`, CHILD)).toMatchObject({ valid: true });
    expect(await verify(code, DEMO_ACCOUNT.nationalCode)).toEqual({ valid: false });
    expect(await verify('0000000011', CHILD)).toEqual({ valid: false });

    // The day after validUntil (Tehran), the letter expires and the insurer hears of it.
    const moved = await fetch(`${REFERRALS}/internal/test/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: `${validUntil}T21:00:00.000Z` }),
    });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { expired: number }).expired).toBeGreaterThanOrEqual(1);
    expect((await detail(code)).body.status).toBe('EXPIRED');
    expect(await verify(code, CHILD)).toEqual({ valid: false });
    await collector.waitFor(
      portalReferrals,
      (e) => e.eventType === 'ReferralExpired' && e.subject === code && e.data.validUntil === validUntil,
      'ReferralExpired',
    );
    await fetch(`${REFERRALS}/internal/test/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: new Date().toISOString() }),
    });
  });

  it('refuses each bad upload with its code and stores nothing of it', async () => {
    const refusals: [string, FormData, number, string][] = [
      [
        'an executable named .jpg',
        requestForm({}, [['prescription', executable(), 'photo.jpg', 'image/jpeg'], defaultFiles()[1]!]),
        415,
        'ATTACHMENT_TYPE_NOT_ALLOWED',
      ],
      [
        'a PDF with JavaScript',
        requestForm({}, [['prescription', pdfWithJavaScript(), 'n.pdf', 'application/pdf'], defaultFiles()[1]!]),
        422,
        'ATTACHMENT_UNSAFE',
      ],
      [
        'a 6 MB file',
        requestForm({}, [['prescription', bytesOfSize(6 * 1024 * 1024), 'big.pdf', 'application/pdf'], defaultFiles()[1]!]),
        413,
        'ATTACHMENT_TOO_LARGE',
      ],
      [
        'a zero-byte file',
        requestForm({}, [['prescription', Buffer.alloc(0), 'empty.pdf', 'application/pdf'], defaultFiles()[1]!]),
        400,
        'ATTACHMENT_EMPTY',
      ],
      [
        'a ninth file',
        requestForm({}, [
          ...defaultFiles(),
          ...Array.from({ length: 7 }, (_, i): [string, Buffer, string] => ['other', pdf(), `o${i}.pdf`]),
        ]),
        400,
        'TOO_MANY_ATTACHMENTS',
      ],
      ['a missing prescription', requestForm({}, [defaultFiles()[1]!]), 400, 'ATTACHMENT_MISSING'],
      [
        'a decompression-bomb PNG',
        requestForm({}, [defaultFiles()[0]!, ['nationalCard', pngBomb(), 'card.png', 'image/png']]),
        422,
        'ATTACHMENT_UNSAFE',
      ],
    ];
    for (const [what, form, status, code] of refusals) {
      const before = await stored();
      const answer = await postForm('/referrals', 'main', form);
      expect({ what, status: answer.status, code: answer.body.code }).toEqual({ what, status, code });
      expect({ what, stored: await stored() }).toEqual({ what, stored: before });
    }

    // Accepted: a path-traversal name becomes a plain label; a PNG named .pdf and sent as application/pdf is stored as PNG.
    const before = await stored();
    const accepted = await postForm(
      '/referrals',
      'main',
      requestForm({ providerId: '1001', admissionDate: day(10), serviceCategory: 'PARACLINICAL', reason: 'MRI' }, [
        ['prescription', plainPng(30, 30), '../../etc/passwd', 'application/pdf'],
        ['nationalCard', plainPng(20, 10), 'card.pdf', 'application/pdf'],
      ]),
    );
    expect(accepted.status).toBe(201);
    // The centre issues letters online: the member is told a request is not needed, and it is still accepted.
    expect(accepted.body.warnings).toEqual([expect.objectContaining({ code: 'ONLINE_REFERRAL_AVAILABLE' })]);
    expect(await stored()).toEqual({ r: before.r + 1, a: before.a + 2 });
    const { body } = await detail(accepted.body.trackingCode as string);
    const attachments = body.attachments as { id: string; label: string; contentType: string }[];
    expect(attachments.map((a) => [a.label, a.contentType])).toEqual([
      ['passwd', 'image/png'],
      ['card.pdf', 'image/png'],
    ]);
    const download = await fetch(`${API}/referrals/${accepted.body.trackingCode}/attachments/${attachments[1]!.id}`, {
      headers: auth('main'),
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="card\.png"/);
    expect((await sharp(Buffer.from(await download.arrayBuffer())).metadata()).format).toBe('png');
  });

  it('answers 404 to another household and to a dependent for the main member’s requests', async () => {
    const created = await postForm(
      '/referrals',
      'main',
      requestForm({ patientNationalCode: DEMO_ACCOUNT.nationalCode, admissionDate: day(20) }),
    );
    expect(created.status).toBe(201);
    const code = created.body.trackingCode as string;
    const { body } = await detail(code);
    const attachmentId = (body.attachments as { id: string }[])[0]!.id;
    const report = () => {
      const form = new FormData();
      form.append('other', new Blob([pdf()]), 'x.pdf');
      return form;
    };
    for (const who of ['stranger', 'spouse']) {
      expect((await get(`/referrals?nationalCode=${DEMO_ACCOUNT.nationalCode}`, who)).status).toBe(404);
      expect((await get(`/referrals/${code}`, who)).body).toMatchObject({ statusCode: 404, code: 'REFERRAL_NOT_FOUND' });
      expect((await fetch(`${API}/referrals/${code}/attachments/${attachmentId}`, { headers: auth(who) })).status).toBe(404);
      expect((await postForm(`/referrals/${code}/attachments`, who, report())).status).toBe(404);
      const cancelled = await fetch(`${API}/referrals/${code}/cancel`, {
        method: 'POST',
        headers: { ...auth(who), 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'x' }),
      });
      expect(cancelled.status).toBe(404);
    }
    // Nor may another household ask for a letter for the demo child.
    expect((await postForm('/referrals', 'stranger', requestForm())).status).toBe(404);
    expect((await get<{ total: number }>('/referrals', 'stranger')).body.total).toBe(0);
    // The dependent still sees their own list (empty), and the main member the request.
    expect((await get<{ total: number }>('/referrals', 'spouse')).body.total).toBe(0);
    expect((await detail(code)).body.status).toBe('SUBMITTED');
  });

  it('answers NUL, broken Unicode, deeply nested JSON and out-of-range pages with 400 in the API shape, not 500', async () => {
    const shape = (body: Record<string, unknown>, code: string) =>
      expect(body).toMatchObject({ statusCode: 400, code, message: expect.any(String) });
    for (const route of [
      '/providers?province=%00',
      '/providers?q=a%00b',
      '/providers/%00',
      '/claims?q=%00',
      '/claims/%00',
      `/me/contracts/${CONTRACT}%00/members`,
      `/me/contracts/${CONTRACT}/members?q=%ED%A0%80`,
      '/referrals/%00',
    ]) {
      const answer = await get(route, 'main');
      expect({ route, status: answer.status }).toEqual({ route, status: 400 });
      shape(answer.body, 'INVALID_CHARACTERS');
    }
    const patch = await fetch(`${API}/me`, {
      method: 'PATCH',
      headers: { ...auth('main'), 'content-type': 'application/json' },
      body: '{"address":"a\\ud800b"}',
    });
    expect(patch.status).toBe(400);
    shape((await patch.json()) as Record<string, unknown>, 'INVALID_CHARACTERS');
    const deep = await fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `${'['.repeat(1500)}${']'.repeat(1500)}`,
    });
    expect(deep.status).toBe(400);
    shape((await deep.json()) as Record<string, unknown>, 'JSON_TOO_DEEP');
    for (const page of ['1e300', '9007199254740993', '10001']) {
      const answer = await get(`/claims?page=${page}`, 'main');
      expect({ page, status: answer.status }).toEqual({ page, status: 400 });
      shape(answer.body, 'VALIDATION_FAILED');
    }
    // A dot segment (sent raw: fetch would normalise it away) does not reach the list route.
    const dotted = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: ports.gateway, path: '/api/v1/claims/.', headers: auth('main') }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
        })
        .on('error', reject);
    });
    expect(dotted.status).toBe(400);
    shape(dotted.body, 'INVALID_PATH');
    // Metrics and the detailed health are for operators' networks: a client the proxy (loopback, trusted) says is
    // public gets 404; liveness stays open.
    const gateway = `http://127.0.0.1:${ports.gateway}`;
    const outside = { 'x-forwarded-for': '8.8.8.8' };
    expect((await fetch(`${gateway}/metrics`, { headers: outside })).status).toBe(404);
    expect((await fetch(`${gateway}/health`, { headers: outside })).status).toBe(404);
    expect((await fetch(`${gateway}/health/live`, { headers: outside })).status).toBe(200);
    expect((await fetch(`${gateway}/metrics`, { headers: { 'x-forwarded-for': '10.0.0.9' } })).status).toBe(200);
    expect((await fetch(`${gateway}/metrics`)).status).toBe(200);
    // Headers too large for Node's parser: the same shape, not Fastify's own.
    const huge = await fetch(`${API}/providers`, { headers: { 'x-filler': 'a'.repeat(20_000) } });
    expect(huge.status).toBe(431);
    expect(await huge.json()).toEqual({ statusCode: 431, code: 'HEADERS_TOO_LARGE', message: expect.any(String), details: [] });
    // Security headers on every answer, the docs page included.
    for (const url of [`${API}/providers`, `http://127.0.0.1:${ports.gateway}/docs`, `${REFERRALS}/health/live`]) {
      const answer = await fetch(url);
      expect({ url, hsts: answer.headers.get('strict-transport-security') }).toEqual({ url, hsts: 'max-age=31536000; includeSubDomains' });
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    const form = requestForm({ doctorName: 'a\u0000b' });
    const upload = await postForm('/referrals', 'main', form);
    expect(upload.status).toBe(400);
    expect(upload.body.code).toBe('INVALID_CHARACTERS');
  });

  it('cancels before a decision, refuses cancelling after one, and sends a decision for a cancelled request to the DLQ', async () => {
    const created = await postForm('/referrals', 'main', requestForm({ admissionDate: day(30) }));
    const code = created.body.trackingCode as string;
    const cancel = (c: string) =>
      fetch(`${API}/referrals/${c}/cancel`, {
        method: 'POST',
        headers: { ...auth('main'), 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'بهبود یافتم' }),
      });
    const cancelled = await cancel(code);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('CANCELLED');
    await collector.waitFor(portalReferrals, (e) => e.eventType === 'ReferralCancelled' && e.subject === code, 'ReferralCancelled');
    const late = await insurer.publish(Topics.insurerReferrals, {
      eventType: 'ReferralApproved',
      subject: code,
      sequence: 1,
      data: { trackingCode: code, letterNumber: 'L-late', validUntil: day(40) },
    });
    const dlq = await eventually(
      async () => {
        const messages = await readWholeTopic(kafka, dlqTopic(namer.topic(Topics.insurerReferrals)));
        return messages.find((m) => m.headers[DlqHeaders.errorCode] === 'STATE_CONFLICT' && m.value?.includes(code));
      },
      30_000,
      'the late approval in the DLQ',
    );
    expect(dlq.value).toContain(late.eventId);
    expect((await detail(code)).body.status).toBe('CANCELLED');

    // After a final decision, cancelling is refused.
    const other = await postForm('/referrals', 'main', requestForm({ admissionDate: day(31) }));
    const otherCode = other.body.trackingCode as string;
    await insurer.publish(Topics.insurerReferrals, {
      eventType: 'ReferralRejected',
      subject: otherCode,
      data: { trackingCode: otherCode, reason: 'خارج از تعهد قرارداد' },
    });
    await waitStatus(otherCode, 'REJECTED');
    const refused = await cancel(otherCode);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('REFERRAL_NOT_CANCELLABLE');
  });
});
