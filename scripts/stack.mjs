#!/usr/bin/env node
// `npm start`: everything Darman needs, from a fresh clone, in one command.
// Installs, builds, starts Kafka if none answers, creates and migrates the
// databases, provisions topics, starts the five services, waits until all are
// ready, seeds the demo data as insurer events, and prints where to go.
// Ctrl-C stops what it started. `--exit-when-ready` stops right after (used to time it).
// `npm start -- --help` prints this.
import path from 'node:path';
import { prepare, ROOT, SERVICES, log } from './lib/prepare.mjs';
import {
  DEFAULT_PORTS,
  ensureKafka,
  migrate,
  provisionTopics,
  seed,
  seedReferrals,
  serviceDatabaseUrl,
  startServices,
  stopKafka,
  stopServices,
  waitReady,
} from './lib/stack.mjs';
import { DEMO_ACCOUNT, DEMO_CAPTCHA_ANSWER, ensureDemoAccount, loginDemo } from './lib/demo-account.mjs';
import { headerComment, helpRequested } from './lib/help.mjs';

if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const started = Date.now();
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databases = Object.fromEntries(SERVICES.map((s) => [s, `darman_${s}`]));
const exitWhenReady = process.argv.includes('--exit-when-ready');

prepare();
const kafkaStarted = await ensureKafka(brokers);
// From here on, whatever stops the launch (a failed step, or Ctrl-C, which the terminal sends to every process of
// the foreground group, so a step's child dies of it first) stops what was started, the broker included.
let children = {};
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping services');
  await stopServices(children);
  if (kafkaStarted) stopKafka(brokers);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
/** A step that failed, or was interrupted (its child died of SIGINT/SIGTERM): stop everything and exit. */
async function abort(error) {
  const interrupted = /exit SIG(INT|TERM)\)/.test(error.message);
  log(interrupted ? 'interrupted: stopping' : `${error.message}; logs in .data/logs/`);
  await shutdown(interrupted ? 130 : 1);
}

let demo = 'failed';
const captchaAnswer = process.env.CAPTCHA_TEST_ANSWER ?? DEMO_CAPTCHA_ANSWER;
try {
  log('migrating databases');
  migrate(serverUrl, databases);
  provisionTopics(brokers, '');
  log('starting services');
  children = startServices({
    brokers,
    databaseUrls: Object.fromEntries(SERVICES.map((s) => [s, serviceDatabaseUrl(serverUrl, databases[s])])),
    logDir: path.join(ROOT, '.data', 'logs'),
    // Outside production a fixed captcha answer lets scripts and curl log in (identity refuses it in production).
    extraEnv: process.env.NODE_ENV === 'production' ? {} : { CAPTCHA_TEST_ANSWER: captchaAnswer },
  });
  for (const [svc, child] of Object.entries(children)) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      // Ctrl-C reaches the services too: one that has not yet set its handlers dies of the signal, one that has
      // exits 0, and either may be seen before the launcher's own SIGINT handler runs. A service killed by an
      // interrupt is the interrupt; any other exit waits a moment for a pending signal before it counts as a failure.
      if (signal === 'SIGINT' || signal === 'SIGTERM') return void shutdown(signal === 'SIGINT' ? 130 : 143);
      setTimeout(() => {
        if (stopping) return;
        log(`${svc} exited (${code ?? signal}); see .data/logs/${svc}.out and ${svc}.log`);
        void shutdown(1);
      }, 250);
    });
  }
  await waitReady(DEFAULT_PORTS);
  seed(brokers, '');
  demo = await ensureDemoAccount({ api: `http://127.0.0.1:${DEFAULT_PORTS.gateway}/api/v1`, brokers, captchaAnswer }).catch((error) => {
    log(`demo account not activated: ${error.message}`);
    return 'failed';
  });
  const api = `http://127.0.0.1:${DEFAULT_PORTS.gateway}/api/v1`;
  if (demo !== 'failed') {
    try {
      seedReferrals({ api, brokers, accessToken: (await loginDemo(api, captchaAnswer)).accessToken });
    } catch (error) {
      if (/exit SIG(INT|TERM)\)/.test(error.message)) throw error;
      log(`demo referral letters not seeded: ${error.message}`);
    }
  }
} catch (error) {
  await abort(error);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`
Darman is running (ready in ${seconds}s)
  Portal:   http://localhost:${DEFAULT_PORTS.gateway}/   (the member portal; log in as the demo member below)
  Gateway:  http://127.0.0.1:${DEFAULT_PORTS.gateway}/api/v1   health: http://127.0.0.1:${DEFAULT_PORTS.gateway}/health
  Swagger:  http://127.0.0.1:${DEFAULT_PORTS.gateway}/docs
  Services: ${SERVICES.map((s) => `${s} :${DEFAULT_PORTS[s]}`).join(', ')} (each has /health/live, /health/ready, /metrics)
  Demo member: national code ${DEMO_ACCOUNT.nationalCode}, membership type ${DEMO_ACCOUNT.membershipType}, password ${DEMO_ACCOUNT.password}
               (portal ${demo}; contract 1722169 with spouse 0499370902 and child 0499370910; any captcha answer "${captchaAnswer}")
  Logs: .data/logs/   Stop: Ctrl-C
`);
if (exitWhenReady) await shutdown(0);
