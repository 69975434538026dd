// Activates the demo member's portal account through the public API, the way
// a member would: ask for the code, read it where the SMS gateway would (the
// NotificationRequested event on portal.notifications.v1), confirm with the
// demo password. Used by `npm start` and the benchmarks; a no-op when the
// account already logs in.
export const DEMO_ACCOUNT = { nationalCode: '0499370899', membershipType: 'GROUP', mobile: '09121234567', password: 'darman-demo-1404' };
/** Outside production `npm start` accepts this captcha answer (CAPTCHA_TEST_ANSWER) so scripts and curl can log in. */
export const DEMO_CAPTCHA_ANSWER = 'darman';

async function call(api, method, route, body) {
  const response = await fetch(`${api}${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function captcha(api) {
  return (await call(api, 'GET', '/auth/captcha')).body.captchaId;
}

/** Logs the demo member in; returns the token pair, or null when the credentials are refused. */
export function loginDemo(api, captchaAnswer = DEMO_CAPTCHA_ANSWER) {
  return login(api, DEMO_ACCOUNT, captchaAnswer);
}

/** Logs an account in; returns the token pair, or null when the credentials are refused. */
export async function login(api, account, captchaAnswer = DEMO_CAPTCHA_ANSWER) {
  const { nationalCode, membershipType, password } = account;
  const answer = await call(api, 'POST', '/auth/login', {
    nationalCode,
    membershipType,
    password,
    captchaId: await captcha(api),
    captchaAnswer,
    rememberMe: false,
  });
  if (answer.status === 200) return answer.body;
  if (answer.status === 401) return null;
  throw new Error(`demo login answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

/** Waits for the next activation code sent to `mobile` on the notifications topic. */
async function nextCode(kafka, topic, mobile, since, timeoutMs) {
  const consumer = kafka.consumer({ groupId: `demo-account-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (Number(message.timestamp) < since) return;
          const event = JSON.parse(message.value.toString('utf8'));
          if (event.data?.to === mobile && event.data?.template === 'ACTIVATION_CODE') {
            clearTimeout(timer);
            resolve(event.data.params.code);
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

export function ensureDemoAccount(options) {
  return ensureAccount({ ...options, account: DEMO_ACCOUNT });
}

/** Makes sure an enrolled person's portal account exists with this password (activating it as a member would). */
export async function ensureAccount({ api, brokers, account, topicPrefix = '', captchaAnswer = DEMO_CAPTCHA_ANSWER, timeoutMs = 30_000 }) {
  if (await login(api, account, captchaAnswer)) return 'existing';
  // Imported here: `npm start` loads this file before it has installed the dependencies.
  const { default: kafkajs } = await import('kafkajs');
  const kafka = new kafkajs.Kafka({ clientId: 'darman-demo', brokers: brokers.split(','), logLevel: kafkajs.logLevel.NOTHING });
  const { nationalCode, membershipType, mobile, password } = account;
  const deadline = Date.now() + timeoutMs;
  // The seed may still be on its way into identity's registry: ask again until a code comes.
  while (Date.now() < deadline) {
    // Family members share a mobile: only a code sent after this request is ours.
    const since = Date.now();
    const asked = await call(api, 'POST', '/auth/activation/request', {
      nationalCode,
      membershipType,
      mobile,
      captchaId: await captcha(api),
      captchaAnswer,
    });
    if (asked.status !== 202) throw new Error(`activation request answered ${asked.status}: ${JSON.stringify(asked.body)}`);
    const code = await nextCode(kafka, `${topicPrefix}portal.notifications.v1`, mobile, since, 5_000);
    if (!code) continue;
    const confirmed = await call(api, 'POST', '/auth/activation/confirm', { nationalCode, membershipType, code, password });
    if (confirmed.status === 201 || confirmed.body?.code === 'ALREADY_ACTIVATED') return 'activated';
    throw new Error(`activation confirm answered ${confirmed.status}: ${JSON.stringify(confirmed.body)}`);
  }
  throw new Error(`no activation code arrived for ${nationalCode} (is the account already active with another password?)`);
}
