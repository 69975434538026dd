// Starts the local infrastructure and the five services: used by `npm start`
// (scripts/stack.mjs) and by the e2e tests, with different ports and names.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, SERVICES, builtFile, log, run } from './prepare.mjs';

export const DEFAULT_PORTS = { gateway: 3000, identity: 3001, claims: 3002, referrals: 3003, providers: 3004 };

/** True when something accepts TCP connections at host:port. */
export function portAnswers(hostPort, timeoutMs = 1000) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts the local broker with infra/kafka/kafka.sh unless one answers; returns whether it started one. */
export async function ensureKafka(brokers, env = {}) {
  const first = brokers.split(',')[0];
  if (await portAnswers(first)) return false;
  const [host, port] = first.split(':');
  if (!['127.0.0.1', 'localhost'].includes(host)) throw new Error(`Kafka at ${first} does not answer`);
  log(`starting local Kafka on ${first}`);
  run('bash', ['infra/kafka/kafka.sh', 'start'], { env: { ...process.env, ...env, KAFKA_PORT: port } });
  return true;
}

export function stopKafka(brokers) {
  const port = brokers.split(',')[0].split(':')[1];
  spawnSync('bash', ['infra/kafka/kafka.sh', 'stop'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, KAFKA_PORT: port } });
}

/** `postgresql://…/<db>` for a service, on the server of `serverUrl`. */
export function serviceDatabaseUrl(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function migrate(serverUrl, databases) {
  const env = { ...process.env };
  for (const svc of SERVICES) env[`${svc.toUpperCase()}_DATABASE_URL`] = serviceDatabaseUrl(serverUrl, databases[svc]);
  run(process.execPath, ['scripts/db/migrate.mjs'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

export function provisionTopics(brokers, topicPrefix) {
  run(process.execPath, [builtFile('scripts/provision-topics.ts')], {
    env: { ...process.env, KAFKA_BROKERS: brokers, TOPIC_PREFIX: topicPrefix },
  });
}

export function seed(brokers, topicPrefix) {
  run(process.execPath, [builtFile('scripts/seed/seed-demo.ts')], {
    env: { ...process.env, KAFKA_BROKERS: brokers, TOPIC_PREFIX: topicPrefix },
  });
}

/** The demo household's referral letters, one per state (scripts/seed/seed-referrals.ts), as the demo member. */
export function seedReferrals({ api, brokers, topicPrefix = '', accessToken }) {
  run(process.execPath, [builtFile('scripts/seed/seed-referrals.ts')], {
    env: { ...process.env, API: api, DEMO_ACCESS_TOKEN: accessToken, KAFKA_BROKERS: brokers, TOPIC_PREFIX: topicPrefix },
  });
}

/**
 * Spawns one process per service from dist/. Each logs JSON to
 * `<logDir>/<svc>.log`. Returns handles to stop them.
 */
export function startServices({ ports = DEFAULT_PORTS, brokers, topicPrefix = '', databaseUrls, logDir, extraEnv = {}, only }) {
  mkdirSync(logDir, { recursive: true });
  const children = {};
  for (const svc of only ?? ['gateway', ...SERVICES]) {
    const env = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: String(ports[svc]),
      KAFKA_BROKERS: brokers,
      TOPIC_PREFIX: topicPrefix,
      LOG_FILE: path.join(logDir, `${svc}.log`),
      ...(svc === 'gateway'
        ? Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, `http://127.0.0.1:${ports[s]}`]))
        : { DATABASE_URL: databaseUrls[svc], IDENTITY_JWKS_URL: `http://127.0.0.1:${ports.identity}/auth/jwks` }),
      ...extraEnv,
    };
    const out = openSync(path.join(logDir, `${svc}.out`), 'a');
    children[svc] = spawn(
      process.execPath,
      [
        ...(process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : []),
        '--enable-source-maps',
        `dist/apps/${svc}/src/main.js`,
      ],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', out, out],
      },
    );
  }
  return children;
}

export async function waitReady(ports, services = Object.keys(ports), timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(services);
  while (pending.size > 0) {
    for (const svc of [...pending]) {
      try {
        const res = await fetch(`http://127.0.0.1:${ports[svc]}/health/ready`, { signal: AbortSignal.timeout(3000) });
        if (res.status === 200) pending.delete(svc);
      } catch {
        // not listening yet
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000}s: ${[...pending].join(', ')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** SIGTERM to every child, then wait for them; returns their exit codes. */
export async function stopServices(children, timeoutMs = 20_000) {
  const codes = {};
  await Promise.all(
    Object.entries(children).map(
      ([svc, child]) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            codes[svc] = child.exitCode;
            return resolve();
          }
          const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          child.once('exit', (code, signal) => {
            clearTimeout(timer);
            codes[svc] = code ?? signal;
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  return codes;
}
