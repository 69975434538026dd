import type { Kafka, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { FetchLoop } from './fetch-loop.js';

/** A kafkajs consumer stand-in: joins at once and hands the test the eachBatch callback (unit tier: no broker). */
function fakeKafka() {
  const listeners = new Map<string, () => void>();
  let eachBatch: ((payload: unknown) => Promise<void>) | undefined;
  const consumer = {
    events: { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash' },
    on: (event: string, listener: () => void) => listeners.set(event, listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: async () => undefined,
    commitOffsets: async () => undefined,
    run: async (options: { eachBatch: (payload: unknown) => Promise<void> }) => {
      eachBatch = options.eachBatch;
      listeners.get('join')?.();
    },
  };
  const batch = (messages: Partial<KafkaMessage>[]) =>
    eachBatch!({
      batch: { topic: 't', partition: 0, messages },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    });
  return { kafka: { consumer: () => consumer } as unknown as Kafka, batch, ready: () => eachBatch !== undefined };
}

describe('FetchLoop readiness', () => {
  it('fails while one chunk has been applying for longer than stallMs, and recovers when it finishes', async () => {
    let now = 1_000_000;
    let finish!: () => void;
    const { kafka, batch, ready } = fakeKafka();
    const loop = new FetchLoop({
      kafka,
      group: 'g',
      topics: ['t'],
      logger: pino({ level: 'silent' }),
      stallMs: 60_000,
      now: () => now,
      process: () => new Promise<boolean>((resolve) => (finish = () => resolve(true))),
    });
    loop.start();
    while (!ready()) await new Promise((r) => setImmediate(r));
    expect(loop.readiness()).toEqual({ group: 'g', state: 'joined' });
    const applying = batch([{ offset: '0', value: Buffer.from('x') }]);
    now += 60_000;
    expect(loop.readiness()).toEqual({ group: 'g', state: 'joined' });
    now += 1;
    expect(() => loop.readiness()).toThrow('consumer g is stalled: t[0] has been applying one chunk for 60 s');
    finish();
    await applying;
    expect(loop.readiness()).toEqual({ group: 'g', state: 'joined' });
  });
});
