// The demo household's referral letters, one per state, made the way they happen: the member asks through the
// gateway (with a prescription and a national card), and the referral unit's decisions arrive as insurer events.
// Skipped when the household already has requests (a second `npm start` changes nothing).
//   node dist/scripts/seed/seed-referrals.js   env: API, DEMO_ACCESS_TOKEN, KAFKA_BROKERS, TOPIC_PREFIX
import { randomUUID } from 'node:crypto';
import { Topics, type NewEvent } from '@darman/contracts';
import { createKafka, EventPublisher, parseBrokers, TopicNamer } from '@darman/messaging';
import { pdf, plainPng } from '../../apps/referrals/src/attachments/attachment-fixtures.js';
import { DEMO } from './demo-data.js';

const API = process.env.API ?? 'http://127.0.0.1:3000/api/v1';
const auth = { authorization: `Bearer ${process.env.DEMO_ACCESS_TOKEN}` };
const { main: MAIN, child: CHILD, spouse: SPOUSE } = DEMO;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Story {
  status: string;
  patient: string;
  providerId: string;
  reason: string;
  serviceCategory: string;
  admissionDate: string;
  /** The unit's decisions, as insurer events in the source's order. */
  decisions?: (code: string) => Pick<NewEvent, 'eventType' | 'data'>[];
  cancel?: boolean;
}

const STORIES: Story[] = [
  { status: 'SUBMITTED', patient: MAIN, providerId: '1002', reason: 'جراحی آپاندیس', serviceCategory: 'SURGERY', admissionDate: day(12) },
  {
    status: 'DOCUMENTS_REQUESTED',
    patient: CHILD,
    providerId: '1002',
    reason: 'بستری برای عمل لوزه',
    serviceCategory: 'HOSPITALIZATION',
    admissionDate: day(20),
    decisions: (code) => [
      {
        eventType: 'ReferralDocumentsRequested',
        data: { trackingCode: code, documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش پزشک معالج' }], dueBy: day(7) },
      },
    ],
  },
  {
    status: 'EXAM_REQUIRED',
    patient: SPOUSE,
    providerId: '1002',
    reason: 'رینوپلاستی',
    serviceCategory: 'SURGERY',
    admissionDate: day(30),
    decisions: (code) => [
      {
        eventType: 'ReferralExamRequired',
        data: { trackingCode: code, examAt: `${day(5)}T10:00:00+03:30`, examPlace: 'واحد معرفی‌نامه، شعبه مرکزی' },
      },
    ],
  },
  {
    status: 'APPROVED',
    patient: CHILD,
    providerId: '1002',
    reason: 'سی‌تی‌اسکن',
    serviceCategory: 'PARACLINICAL',
    admissionDate: day(4),
    decisions: (code) => [
      {
        eventType: 'ReferralApproved',
        data: { trackingCode: code, letterNumber: 'MN-1405-0412', validUntil: day(14), approvedProviderId: '1001' },
      },
    ],
  },
  {
    status: 'REJECTED',
    patient: MAIN,
    providerId: '1002',
    reason: 'جراحی زیبایی پلک',
    serviceCategory: 'SURGERY',
    admissionDate: day(25),
    decisions: (code) => [
      { eventType: 'ReferralRejected', data: { trackingCode: code, reason: 'خارج از تعهدات قرارداد', reasonCode: 'NOT_COVERED' } },
    ],
  },
  {
    status: 'CANCELLED',
    patient: SPOUSE,
    providerId: '1002',
    reason: 'آزمایش خون',
    serviceCategory: 'PARACLINICAL',
    admissionDate: day(3),
    cancel: true,
  },
  {
    status: 'EXPIRED',
    patient: MAIN,
    providerId: '1002',
    reason: 'سونوگرافی',
    serviceCategory: 'PARACLINICAL',
    admissionDate: day(1),
    decisions: (code) => [
      {
        eventType: 'ReferralApproved',
        data: { trackingCode: code, letterNumber: 'MN-1405-0398', validFrom: day(-20), validUntil: day(-2) },
      },
    ],
  },
];

async function api(method: string, route: string, body?: FormData | object): Promise<{ status: number; body: Record<string, unknown> }> {
  const json = body !== undefined && !(body instanceof FormData);
  const response = await fetch(`${API}${route}`, {
    method,
    headers: { ...auth, ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(body) : body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function request(story: Story): Promise<string> {
  for (const deadline = Date.now() + 60_000; ;) {
    const form = new FormData();
    const fields = { ...story, patientNationalCode: story.patient, contractNumber: DEMO.contractNumber, doctorName: 'دکتر مریم احمدی' };
    for (const key of [
      'patientNationalCode',
      'contractNumber',
      'providerId',
      'admissionDate',
      'doctorName',
      'reason',
      'serviceCategory',
    ] as const) {
      form.append(key, String(fields[key]));
    }
    form.append('prescription', new Blob([pdf('BT /F1 12 Tf 72 712 Td (Prescription) Tj ET')], { type: 'application/pdf' }), 'نسخه.pdf');
    form.append('nationalCard', new Blob([plainPng(86, 54)], { type: 'image/png' }), 'کارت-ملی.png');
    const answer = await api('POST', '/referrals', form);
    if (answer.status === 201) return answer.body.trackingCode as string;
    // The referrals service may still be folding the seed's members and centres.
    if (Date.now() > deadline) throw new Error(`POST /referrals answered ${answer.status} ${JSON.stringify(answer.body)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const existing = await api('GET', `/referrals?nationalCode=${MAIN}&pageSize=1`);
if ((existing.body.total as number) > 0) {
  console.log('seed: demo referral letters already there');
  process.exit(0);
}
const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: 'darman-seed-referrals' });
const unit = new EventPublisher(kafka, 'asmari-referrals', new TopicNamer(process.env.TOPIC_PREFIX ?? ''));
try {
  const made: { code: string; status: string }[] = [];
  for (const story of STORIES) {
    const code = await request(story);
    const decisions = story.decisions?.(code) ?? [];
    for (const [i, d] of decisions.entries()) {
      await unit.publish(Topics.insurerReferrals, { ...d, eventId: randomUUID(), subject: code, sequence: i + 1 });
    }
    if (story.cancel) await api('POST', `/referrals/${code}/cancel`, { reason: 'دیگر نیازی نیست' });
    made.push({ code, status: story.status });
  }
  // Wait until the decisions are applied (the expired letter waits for the expiry job's next run).
  for (const { code, status } of made) {
    for (const deadline = Date.now() + 60_000; ;) {
      const detail = await api('GET', `/referrals/${code}`);
      if (detail.body.status === status) break;
      if (Date.now() > deadline) throw new Error(`referral ${code} is ${String(detail.body.status)}, not ${status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  console.log(`seed: ${made.length} demo referral letters (${made.map((m) => m.status).join(', ')})`);
} finally {
  await unit.disconnect();
}
