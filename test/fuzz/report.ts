// Figures of a fuzz run as Markdown (written to .data/fuzz.md by `npm run fuzz`) and the verdict.
import type { ApiFuzzReport } from './api-fuzzer.js';
import type { ConsumerFuzzReport } from './consumer-fuzzer.js';

export interface FuzzRun {
  startedAt: string;
  machine: string;
  api: ApiFuzzReport;
  consumers: ConsumerFuzzReport;
}

/** What makes the run fail: a 5xx, a shape violation, a request without answer, a lost or wrongly refused message, a service not ready. */
export function problemsOf(run: FuzzRun): string[] {
  const problems: string[] = [];
  if (run.api.serverErrors) problems.push(`${run.api.serverErrors} answers were 5xx`);
  if (run.api.shapeViolations) problems.push(`${run.api.shapeViolations} error answers were not in the API.md shape`);
  if (run.api.noAnswer) problems.push(`${run.api.noAnswer} requests got no answer`);
  if (run.consumers.lost.length) problems.push(`${run.consumers.lost.length} refused messages are not in their DLQ`);
  if (run.consumers.handlerFailures.length) problems.push(`${run.consumers.handlerFailures.length} valid messages failed in a handler`);
  for (const [svc, status] of Object.entries(run.consumers.healthReady))
    if (status !== 200) problems.push(`${svc} /health/ready answered ${status}`);
  return problems;
}

const statuses = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');

export function toMarkdown(run: FuzzRun): string {
  const { api, consumers } = run;
  const lines = [
    `Run ${run.startedAt}, seed ${api.seed}; ${run.machine}.`,
    '',
    `API: ${api.requests} requests over ${api.operations} operations in ${(api.durationMs / 1000).toFixed(1)} s; ` +
      `5xx = ${api.serverErrors}, shape violations = ${api.shapeViolations}, no answer = ${api.noAnswer}, ` +
      `connection closed by the server while an over-limit body was sent = ${api.closedOnLargeBody}.`,
    '',
    '| route class | requests | statuses |',
    '|---|---|---|',
    ...Object.entries(api.perRouteClass)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cls, c]) => `| ${cls} | ${c.requests} | ${statuses(c.statuses)} |`),
    `| **all** | ${api.requests} | ${statuses(api.statuses)} |`,
    '',
    `Mutations: ${statuses(api.perMutation)}.`,
    '',
    `Consumers: ${consumers.messages} messages (plus one marker per topic) in ${(consumers.durationMs / 1000).toFixed(1)} s; ` +
      `lost = ${consumers.lost.length}, handler failures = ${consumers.handlerFailures.length}, ` +
      `DLQ code other than the contract's = ${consumers.codeDifferences}; /health/ready: ${statuses(consumers.healthReady)}.`,
    '',
    '| topic | messages | group | DLQ | applied | DLQ codes |',
    '|---|---|---|---|---|---|',
    ...Object.entries(consumers.perTopic).flatMap(([topic, t]) =>
      Object.entries(t.perGroup).map(
        ([group, g]) => `| ${topic} | ${t.messages} | ${group} | ${g.dlq} | ${g.applied} | ${statuses(g.dlqCodes)} |`,
      ),
    ),
    '',
  ];
  const failures = [
    ...api.failures.map(
      (f) =>
        `- ${f.kind} ${f.operation} (${f.mutation}${f.withToken ? ', with token' : ''}): ${f.method} ${f.target} → ${f.status} ${f.problem}; body ${f.bodyExcerpt.slice(0, 120)}; answer ${f.responseExcerpt.slice(0, 200)}`,
    ),
  ];
  failures.push(
    ...[...consumers.lost, ...consumers.handlerFailures].map(
      (l) => `- ${l.topic} ${l.group} ${l.kind} p${l.partition}@${l.offset}: expected ${l.expected}; value ${l.valueExcerpt}`,
    ),
  );
  lines.push(failures.length ? `Failures (first of each kind):\n\n${failures.join('\n')}\n` : 'No failures.\n');
  return lines.join('\n');
}
