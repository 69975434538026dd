// kafkajs compatibility check for the pinned broker (run before bumping
// <kafka.version> in pom.xml). Exercises what the project uses: admin
// describeCluster/createTopics/fetchTopicOffsets/fetchOffsets/deleteTopics,
// producer acks=-1 idempotent=false, consumer group eachBatch with
// autoCommit=false + commitOffsets + heartbeat, rejoin, rebalance and
// (optionally) a broker restart.
//   KAFKA_PORT=47092 infra/kafka/kafka.sh start
//   KAFKA_PORT=47092 [RESTART=1] node infra/kafka/kafkajs-compat.cjs
//   KAFKA_PORT=47092 infra/kafka/kafka.sh reset
// Exit 0 when every non-informational step passes.
'use strict';
const net = require('net');
const { execSync } = require('child_process');
const { Kafka, logLevel } = require('kafkajs');

const BROKER = process.env.BROKER || `127.0.0.1:${process.env.KAFKA_PORT || 9092}`;
const KAFKA_SH = require('path').join(__dirname, 'kafka.sh');
const RESTART_CMD = process.env.RESTART_CMD || (process.env.RESTART === '1' ? `"${KAFKA_SH}" stop && "${KAFKA_SH}" start` : '');
const results = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const withTimeout = (p, ms, what) =>
  Promise.race([
    p,
    sleep(ms).then(() => {
      throw new Error(`timeout after ${ms}ms: ${what}`);
    }),
  ]);

async function step(name, fn, ms = 30000) {
  const t0 = Date.now();
  try {
    const info = await withTimeout(Promise.resolve().then(fn), ms, name);
    results.push({ name, ok: true, ms: Date.now() - t0, info });
    console.log(`PASS ${name} (${Date.now() - t0}ms)${info ? ' ' + JSON.stringify(info) : ''}`);
    return true;
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: `${e.name}: ${e.message}` });
    console.log(`FAIL ${name} (${Date.now() - t0}ms) ${e.name}: ${e.message}${e.type ? ' type=' + e.type : ''}`);
    return false;
  }
}
const assert = (c, msg) => {
  if (!c) throw new Error('assertion failed: ' + msg);
};

// Raw ApiVersions v0 so we can print the broker's ranges next to kafkajs's.
function apiVersions(hostPort) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), host);
    const clientId = Buffer.from('smoke');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    body.writeInt16BE(18, 0);
    body.writeInt16BE(0, 2);
    body.writeInt32BE(1, 4);
    body.writeInt16BE(clientId.length, 8);
    clientId.copy(body, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      s.end();
      let o = 8;
      const err = buf.readInt16BE(o);
      o += 2;
      const n = buf.readInt32BE(o);
      o += 4;
      const out = {};
      for (let i = 0; i < n; i++) {
        out[buf.readInt16BE(o)] = [buf.readInt16BE(o + 2), buf.readInt16BE(o + 4)];
        o += 6;
      }
      resolve({ err, apis: out });
    });
    s.on('error', reject);
    s.write(Buffer.concat([size, body]));
  });
}

const KAFKAJS = {
  // apiKey: [name, kafkajs min, kafkajs max]
  0: ['Produce', 0, 7],
  1: ['Fetch', 0, 11],
  2: ['ListOffsets', 0, 3],
  3: ['Metadata', 0, 6],
  8: ['OffsetCommit', 0, 5],
  9: ['OffsetFetch', 1, 4],
  10: ['FindCoordinator', 0, 2],
  11: ['JoinGroup', 0, 5],
  12: ['Heartbeat', 0, 3],
  13: ['LeaveGroup', 0, 3],
  14: ['SyncGroup', 0, 3],
  15: ['DescribeGroups', 0, 2],
  16: ['ListGroups', 0, 2],
  18: ['ApiVersions', 0, 2],
  19: ['CreateTopics', 0, 3],
  20: ['DeleteTopics', 0, 1],
  32: ['DescribeConfigs', 0, 2],
  42: ['DeleteGroups', 0, 1],
};

async function main() {
  const kafka = new Kafka({
    clientId: 'smoke',
    brokers: [BROKER],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
  });
  const topic = `smoke.t${Date.now()}`;
  const groupId = `smoke.g${Date.now()}`;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });

  await step('apiVersions negotiation (informational)', async () => {
    const { err, apis } = await apiVersions(BROKER);
    assert(err === 0, 'error ' + err);
    const rows = {};
    for (const [k, [name, jmin, jmax]] of Object.entries(KAFKAJS)) {
      const b = apis[k];
      const common = b ? Math.min(b[1], jmax) : null;
      rows[name] = b
        ? `broker ${b[0]}-${b[1]} kafkajs ${jmin}-${jmax} -> ${common >= Math.max(b[0], jmin) ? 'v' + common : 'NONE'}`
        : 'broker: not supported';
    }
    console.log(rows);
  });

  await step('admin.connect', () => admin.connect());
  await step('admin.describeCluster', async () => {
    const c = await admin.describeCluster();
    assert(c.brokers.length === 1 && c.controller != null, JSON.stringify(c));
    return { clusterId: c.clusterId, brokers: c.brokers.length, controller: c.controller };
  });
  await step('admin.createTopics', async () => {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    });
    assert(created === true, 'created=' + created);
    const again = await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    assert(again === false, 'second create should return false, got ' + again);
  });
  await step('producer.connect', () => producer.connect());

  let produced = 0;
  await step('producer.send acks=-1 idempotent=false', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ i }), headers: { eventId: `e${i}` } }));
    const r = await producer.send({ topic, acks: -1, messages });
    produced += 30;
    return { records: r.length, partitions: r.map((x) => `${x.partition}@${x.baseOffset}`) };
  });
  await step('producer.sendBatch acks=-1 gzip', async () => {
    const { CompressionTypes } = require('kafkajs');
    await producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.GZIP,
      topicMessages: [{ topic, messages: Array.from({ length: 6 }, (_, i) => ({ key: `b${i}`, value: 'batch' })) }],
    });
    produced += 6;
  });
  await step(
    'producer.send to missing topic fails (auto.create off)',
    async () => {
      try {
        const p2 = kafka.producer({ idempotent: false, allowAutoTopicCreation: false, retry: { retries: 1, initialRetryTime: 100 } });
        await p2.connect();
        try {
          await p2.send({ topic: topic + '.missing', acks: -1, messages: [{ value: 'x' }] });
        } finally {
          await p2.disconnect();
        }
      } catch (e) {
        return { error: `${e.name}: ${e.message}`.slice(0, 120) };
      }
      throw new Error('send to missing topic succeeded');
    },
    60000,
  );

  const highSum = async () => (await admin.fetchTopicOffsets(topic)).reduce((a, p) => a + Number(p.high), 0);
  await step('admin.fetchTopicOffsets', async () => {
    const offs = await admin.fetchTopicOffsets(topic);
    const sum = offs.reduce((a, p) => a + Number(p.high), 0);
    assert(sum === produced, `sum(high)=${sum} produced=${produced}`);
    return offs.map((p) => `${p.partition}:${p.low}-${p.high}`);
  });

  const lag = async () => {
    const [topicOffsets, groupOffsets] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committed = Object.fromEntries(groupOffsets[0].partitions.map((p) => [p.partition, Number(p.offset)]));
    return topicOffsets.reduce((a, p) => a + Number(p.high) - Math.max(0, committed[p.partition] ?? 0), 0);
  };
  await step('admin.fetchOffsets (group lag before any commit)', async () => {
    const l = await lag();
    assert(l === produced, `lag=${l}`);
    return { lag: l };
  });

  // --- consumer with manual commits ------------------------------------------
  const seen = new Map();
  const stats = { heartbeatCalls: 0, heartbeatEvents: 0, commits: 0, joins: 0 };
  function makeConsumer(label) {
    const c = kafka.consumer({
      groupId,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      allowAutoTopicCreation: false,
      retry: { retries: 20, initialRetryTime: 200 },
    });
    c.on(c.events.GROUP_JOIN, (e) => {
      stats.joins++;
      console.log(`  [${label}] GROUP_JOIN ${e.payload.duration}ms assignment=${JSON.stringify(e.payload.memberAssignment)}`);
    });
    c.on(c.events.HEARTBEAT, () => {
      stats.heartbeatEvents++;
    });
    c.on(c.events.CRASH, (e) =>
      console.log(`  [${label}] CRASH ${e.payload.error && e.payload.error.message} restart=${e.payload.restart}`),
    );
    return c;
  }
  async function runConsumer(c, label) {
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const m of batch.messages) {
          if (!isRunning() || isStale()) break;
          const k = `${batch.partition}:${m.offset}`;
          seen.set(k, (seen.get(k) || 0) + 1);
          resolveOffset(m.offset);
          if (stats.heartbeatCalls === 0) await sleep(1200); // > heartbeatInterval: forces a real Heartbeat request
          await heartbeat();
          stats.heartbeatCalls++;
        }
        if (batch.messages.length) {
          await c.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (Number(batch.lastOffset()) + 1).toString() }]);
          stats.commits++;
        }
      },
    });
  }
  const waitSeen = async (n, ms = 30000) => {
    const t = Date.now();
    while (seen.size < n) {
      if (Date.now() - t > ms) throw new Error(`seen ${seen.size}/${n}`);
      await sleep(100);
    }
  };

  const c1 = makeConsumer('c1');
  await step(
    'consumer join+subscribe+eachBatch (autoCommit=false, commitOffsets, heartbeat)',
    async () => {
      await runConsumer(c1, 'c1');
      await waitSeen(produced);
      const t = Date.now();
      while (stats.heartbeatEvents === 0 && Date.now() - t < 20000) await sleep(100);
      assert(stats.heartbeatCalls > 0, 'heartbeat() never called');
      assert(stats.heartbeatEvents > 0, 'no HEARTBEAT events');
      return { ...stats, seen: seen.size };
    },
    60000,
  );
  await step('admin.fetchOffsets (group lag after commit = 0)', async () => {
    const l = await lag();
    assert(l === 0, `lag=${l}`);
    return { lag: l };
  });
  await step('admin.describeGroups (informational)', async () => {
    const d = await admin.describeGroups([groupId]);
    return { state: d.groups[0].state, members: d.groups[0].members.length, protocol: d.groups[0].protocol };
  });
  await step('consumer.disconnect', () => c1.disconnect());

  await step('lag while consumer is down', async () => {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: `r${i}`, value: 'after-restart' })) });
    produced += 10;
    const l = await lag();
    assert(l === 10, `lag=${l}`);
    return { lag: l };
  });
  const c2 = makeConsumer('c2');
  await step(
    'consumer rejoin after restart resumes from committed offsets',
    async () => {
      await runConsumer(c2, 'c2');
      await waitSeen(produced);
      await sleep(1000);
      const dups = [...seen.values()].filter((v) => v > 1).length;
      assert(dups === 0, `${dups} duplicates`);
      const l = await lag();
      assert(l === 0, `lag=${l}`);
      return { seen: seen.size, dups, lag: l };
    },
    60000,
  );

  const c3 = makeConsumer('c3');
  await step(
    'second member joins -> rebalance, both keep consuming',
    async () => {
      const joins0 = stats.joins;
      await runConsumer(c3, 'c3');
      const t = Date.now();
      while (stats.joins < joins0 + 2 && Date.now() - t < 30000) await sleep(100);
      assert(stats.joins >= joins0 + 2, `joins ${stats.joins - joins0}`);
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 12 }, (_, i) => ({ key: `x${i}`, value: 'two-members' })) });
      produced += 12;
      await waitSeen(produced);
      await sleep(500);
      const l = await lag();
      assert(l === 0, `lag=${l}`);
      const d = await admin.describeGroups([groupId]);
      return { members: d.groups[0].members.length };
    },
    60000,
  );

  if (RESTART_CMD) {
    await step(
      'broker restart: producer and consumers reconnect',
      async () => {
        const t0 = Date.now();
        execSync(RESTART_CMD, { stdio: ['ignore', 'ignore', 'inherit'] });
        const restartMs = Date.now() - t0;
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: 9 }, (_, i) => ({ key: `y${i}`, value: 'after-broker-restart' })),
        });
        produced += 9;
        await waitSeen(produced, 60000);
        await sleep(1500);
        const l = await lag();
        assert(l === 0, `lag=${l}`);
        return { restartMs, catchUpMs: Date.now() - t0 - restartMs };
      },
      120000,
    );
  }

  await step('consumers disconnect', () => Promise.all([c2.disconnect(), c3.disconnect()]));
  await step('admin.deleteTopics', async () => {
    await admin.deleteTopics({ topics: [topic], timeout: 10000 });
    let topics;
    for (let i = 0; i < 20; i++) {
      topics = await admin.listTopics();
      if (!topics.includes(topic)) break;
      await sleep(250);
    }
    assert(!topics.includes(topic), 'topic still listed');
  });
  await step('admin.deleteGroups (informational)', async () => {
    const d = await admin.describeGroups([groupId]);
    try {
      await admin.deleteGroups([groupId]);
    } catch (e) {
      throw new Error(
        `${e.message} ${JSON.stringify((e.groups || []).map((g) => [g.groupId, g.errorCode, g.error && g.error.type]))} state=${d.groups[0].state} members=${d.groups[0].members.map((m) => m.clientId + '/' + m.memberId.slice(-6))}`,
      );
    }
    return { stateBefore: d.groups[0].state };
  });
  await step('producer/admin disconnect', () => Promise.all([producer.disconnect(), admin.disconnect()]));

  const failed = results.filter((r) => !r.ok && !r.name.includes('(informational)'));
  console.log(`\n${results.filter((r) => r.ok).length}/${results.length} passed, ${failed.length} required step(s) failed`);
  process.exit(failed.length ? 1 : 0);
}
main().catch((e) => {
  console.error('fatal', e);
  process.exit(2);
});
