// Black-box: the contracted medical centre directory through the gateway. The
// insurer publishes providers on Kafka (the demo seed and more); members
// search them without logging in; the CSV import publishes its rows as events.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dlqTopic, DlqHeaders, Topics, type NewEvent } from '@darman/contracts';
import { createKafka, EventPublisher, TopicNamer } from '@darman/messaging';
import { createServiceDatabase, dropDatabase, eventually, readWholeTopic, REPO_ROOT, testBrokers, uniqueToken } from '@darman/testing';
import { provisionTopics, seed, startServices, stopServices, waitReady, type Ports } from '../../scripts/lib/stack.mjs';

const ports: Ports = { gateway: 4300, identity: 4301, claims: 4302, referrals: 4303, providers: 4304 };
const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
const API = `http://127.0.0.1:${ports.gateway}/api/v1`;

interface Summary {
  providerId: string;
  name: string;
  city: string;
  type: string;
}
interface SearchPage {
  items: Summary[];
  total: number;
  page: number;
  pageSize: number;
}

async function get<T>(route: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${API}${route}`, { headers });
  return { status: response.status, body: (await response.json()) as T };
}

const search = async (query: Record<string, string>) => (await get<SearchPage>(`/providers?${new URLSearchParams(query)}`)).body;
const ids = (page: SearchPage) => page.items.map((p) => p.providerId);

function provider(providerId: string, fields: Record<string, unknown>, sequence?: number): NewEvent {
  return {
    eventType: 'ProviderUpserted',
    subject: providerId,
    sequence,
    data: {
      providerId,
      type: 'CLINIC',
      province: 'فارس',
      city: 'شیراز',
      address: 'خیابان زند',
      issuesReferral: true,
      onlineReferral: false,
      contracted: true,
      ...fields,
    },
  };
}

describe('provider directory through the gateway', () => {
  const brokers = testBrokers();
  const prefix = `e2epr${uniqueToken()}.`;
  const namer = new TopicNamer(prefix);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e-providers' });
  const insurer = new EventPublisher(kafka, 'asmari-core', namer);
  const databaseUrls: Record<string, string> = {};
  let children: Record<string, ChildProcess>;

  beforeAll(async () => {
    for (const svc of SERVICES) databaseUrls[svc] = await createServiceDatabase(svc, `e2e_pr_${svc}_${uniqueToken()}`);
    provisionTopics(brokers, prefix);
    children = startServices({
      ports,
      brokers,
      topicPrefix: prefix,
      databaseUrls,
      logDir: path.join(REPO_ROOT, '.data', 'e2e-providers-logs'),
      extraEnv: { NODE_ENV: 'test' },
    });
    await waitReady(ports, undefined, 120_000);
    // The demo seed: Shafa (Shiraz, online referral) and Ostad Motahari (Jahrom, no online referral).
    seed(brokers, prefix);
    await insurer.publishMany(Topics.insurerProviders, [
      provider('3001', {
        name: 'بیمارستان شفا یحیائیان',
        type: 'PRIVATE_HOSPITAL',
        province: 'تهران',
        city: 'تهران',
        address: 'خیابان مجاهدین',
      }),
      provider('3002', { name: 'کلینیک شفا', phone: '071-36284000', address: 'خیابان ملاصدرا' }),
      provider('3003', { name: 'آزمایشگاه پاستور', type: 'LAB', address: 'نزدیک بیمارستان شفا' }),
      provider('3004', { name: 'درمانگاه نیمه‌شب', contracted: false }),
      // Delivered newest first: the older sequence must not overwrite the newer name.
      provider('3005', { name: 'مرکز تصویربرداری نو', type: 'IMAGING' }, 2),
      provider('3005', { name: 'مرکز تصویربرداری کهنه', type: 'IMAGING' }, 1),
      provider('3006', { name: 'داروخانه بسته‌شده', type: 'PHARMACY' }, 1),
      { eventType: 'ProviderRemoved', subject: '3006', sequence: 2, data: { providerId: '3006' } },
    ]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: namer.topic(Topics.insurerProviders),
      messages: [
        {
          key: '3999',
          value: JSON.stringify({
            eventId: '1c9f8d58-3e53-4a0f-8b0e-0d7c1a7e6a01',
            eventType: 'ProviderUpserted',
            eventVersion: 1,
            occurredAt: '2026-01-01T10:00:00+03:30',
            source: 'asmari-core',
            subject: '3999',
            data: {
              providerId: '3999',
              name: 'سفینه',
              type: 'SPACESHIP',
              city: 'شیراز',
              address: '-',
              issuesReferral: true,
              onlineReferral: true,
              contracted: true,
            },
          }),
        },
      ],
    });
    await producer.disconnect();
    await eventually(async () => ((await search({})).total >= 6 ? true : undefined), 30_000, 'providers projected');
    await eventually(async () => ((await get(`/providers/3006`)).status === 404 ? true : undefined), 30_000, 'removal applied');
  });

  afterAll(async () => {
    await insurer.disconnect();
    if (children) await stopServices(children);
    for (const url of Object.values(databaseUrls)) await dropDatabase(url);
  });

  it('finds the same centre with Arabic letters, ZWNJ, extra spaces, another word order or a partial word', async () => {
    for (const q of ['بيمارستان شفا', 'بیمارستان\u200cشفا', 'بیمارستان شف']) {
      expect([q, ids(await search({ q }))[0]]).toEqual([q, '1001']);
    }
    // Words in another order, across name and city: every Shafa in Shiraz, this one included.
    expect(ids(await search({ q: 'شفا  شیراز' })).sort()).toEqual(['1001', '3002', '3003']);
    // Ranking: the exact name first, then a name starting with it, then names containing every word, then other matches.
    expect(ids(await search({ q: 'بیمارستان شفا' }))).toEqual(['1001', '3001', '3003']);
    expect(ids(await search({ q: 'كلينيك' }))).toEqual(['3002']);
  });

  it('finds a centre by a phone number typed with Persian digits', async () => {
    expect(ids(await search({ q: '۰۷۱-۳۶۲۸۴۰۰۰' }))).toEqual(['3002']);
    expect(ids(await search({ q: '۳۶۲۸۴' }))).toEqual(['3002']);
  });

  it('combines filters, normalises filter values and pages with the total', async () => {
    expect(ids(await search({ city: 'شيراز', type: 'PRIVATE_HOSPITAL', onlineReferral: 'true' }))).toEqual(['1001']);
    expect(ids(await search({ province: 'فارس', issuesReferral: 'true', onlineReferral: 'false', q: 'مطهری' }))).toEqual(['1002']);
    expect(ids(await search({ city: 'شیراز', onlineReferral: 'true', type: 'CLINIC' }))).toEqual([]);
    // Not contracted: not listed.
    expect(ids(await search({ q: 'نیمه شب' }))).toEqual([]);
    const first = await search({ city: 'شیراز', pageSize: '2', page: '1' });
    const second = await search({ city: 'شیراز', pageSize: '2', page: '2' });
    expect(first.total).toBe(second.total);
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(Math.min(4, first.total));
    expect((await get('/providers?pageSize=0')).status).toBe(400);
    expect((await get('/providers?type=SPACESHIP')).status).toBe(400);
  });

  it('shows the seed hospitals with their flags and what the member should do', async () => {
    const shafa = await get<Record<string, unknown>>('/providers/1001');
    expect(shafa.body).toMatchObject({
      providerId: '1001',
      name: 'بیمارستان شفا',
      type: 'PRIVATE_HOSPITAL',
      city: 'شیراز',
      issuesReferral: true,
      onlineReferral: true,
      contracted: true,
      referralAdvice: { action: 'GO_WITH_NATIONAL_CARD', referralUnit: null },
    });
    expect((shafa.body.referralAdvice as { fa: string }).fa).toContain('کارت ملی');
    const motahari = await get<Record<string, unknown>>('/providers/1002');
    expect(motahari.body).toMatchObject({
      name: 'بیمارستان استاد مطهری',
      type: 'PUBLIC_HOSPITAL',
      city: 'جهرم',
      issuesReferral: true,
      onlineReferral: false,
      referralAdvice: { action: 'REQUEST_LETTER_IN_ADVANCE', referralUnit: { phone: '021-88648400', extension: '101' } },
    });
    const advice = motahari.body.referralAdvice as { fa: string; en: string };
    expect(advice.fa).toContain('021-88648400 داخلی 101');
    expect(advice.en).toContain('021-88648400 extension 101');
    expect((await get('/providers/3004')).body).toMatchObject({ contracted: false, referralAdvice: { action: 'NOT_CONTRACTED' } });
    const missing = await get<{ code: string; message: string }>('/providers/no-such', { 'accept-language': 'fa' });
    expect([missing.status, missing.body.code, missing.body.message]).toEqual([404, 'NOT_FOUND', 'یافت نشد.']);
  });

  it('applies events whatever their delivery order, removes removed centres and sends invalid ones to the DLQ', async () => {
    expect((await get<{ name: string }>('/providers/3005')).body.name).toBe('مرکز تصویربرداری نو');
    expect(ids(await search({ q: 'بسته' }))).toEqual([]);
    const dlq = await readWholeTopic(kafka, dlqTopic(namer.topic(Topics.insurerProviders)));
    // Referrals consumes the topic too and reports the same event under its own group.
    const mine = dlq.filter((m) => m.headers[DlqHeaders.consumerGroup] === namer.group('darman-providers'));
    expect(mine.map((m) => [m.key, m.headers[DlqHeaders.errorCode]])).toEqual([['3999', 'INVALID_FIELD']]);
  });

  it('counts provinces, cities and types of contracted centres', async () => {
    const { body } = await get<{ provinces: { value: string; count: number }[]; types: { value: string; count: number }[]; total: number }>(
      '/providers/facets',
    );
    const { total } = await search({});
    expect(body.total).toBe(total);
    expect(body.provinces.find((p) => p.value === 'تهران')?.count).toBe(1);
    expect(body.types.find((t) => t.value === 'PRIVATE_HOSPITAL')?.count).toBe(2);
    expect(body.types.reduce((n, t) => n + t.count, 0)).toBe(total);
  });

  it('imports a CSV as events: bad rows reported by line, good rows searchable', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'providers-'));
    const file = path.join(dir, 'providers.csv');
    writeFileSync(
      file,
      [
        'providerId,name,type,province,city,address,phone,fax,website,issuesReferral,onlineReferral,contracted,lat,lng',
        '4001,عینک‌سازی آفتاب,OPTICS,فارس,مرودشت,خیابان امام,,,,false,false,true,,',
        '4002,دندانپزشکی لبخند,DENTISTRY,فارس,مرودشت,خیابان امام,,,,false,false,true,,',
        '4003,داروخانه دکتر نیکو,PHARMACY,فارس,مرودشت,میدان معلم,,,,false,false,true,29.87,52.8',
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['dist/apps/providers/src/import/import-providers.cli.js', file], {
      cwd: REPO_ROOT,
      env: { ...process.env, KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('line 3: data.type');
    expect(run.stdout).toContain('2 published, 1 rejected');
    const found = await eventually(async () => {
      const page = await search({ city: 'مرودشت' });
      return page.total === 2 ? page : undefined;
    });
    expect(ids(found).sort()).toEqual(['4001', '4003']);
    expect((await get<{ location: unknown }>('/providers/4003')).body.location).toEqual({ lat: 29.87, lng: 52.8 });
  });
});
