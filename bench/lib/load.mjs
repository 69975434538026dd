// Load generators and process probes of the benchmarks: a closed loop
// (autocannon, N clients each waiting for its answer), an open loop (requests
// sent on a fixed schedule whatever the answers, latency counted from each
// request's scheduled send time, so a stalled server cannot slow the
// generator down and hide its own queue: no coordinated omission), and the
// resident memory of a process found by the port it listens on.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * `connections` clients for `duration` seconds against `origin`; each sends
 * its next request when its answer came (`nextPath()` picks the path). Returns
 * throughput and autocannon's latency percentiles (of the 2xx answers, 1 ms resolution).
 */
export function closedLoop({ origin, nextPath, headers = {}, connections, duration }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: origin,
        connections,
        duration,
        headers,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: nextPath() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
        resolve({
          connections,
          durationSeconds: result.duration,
          requests: result.requests.total,
          throughputPerSecond: Number((result.requests.total / result.duration).toFixed(1)),
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          statuses,
          errors: result.errors + result.timeouts + result.non2xx,
        });
      },
    );
  });
}

/**
 * Requests at a fixed arrival rate for `duration` seconds, sent on schedule
 * whether or not earlier ones were answered, over up to `maxSockets`
 * keep-alive connections (an undici pool); a request that finds them all busy
 * waits in the pool's queue, and that wait counts, as in wrk2. (Opening more
 * connections whenever they are busy made a short stall of the shared
 * machine snowball into a backlog of thousands.) Latency is from the scheduled
 * send time to the end of the answer. Non-2xx answers, socket errors and timeouts are errors.
 * The first `warmup` seconds run at the same rate and are not counted: they
 * open the connections and warm the generator's own code, whose first
 * requests otherwise leave late.
 * undici rather than node:http: it sends about 1.6 times as many requests per
 * second of CPU, and the generator shares the machine with what it measures.
 */
export function openLoop({ origin, nextPath, headers = {}, rate, duration, warmup = 1, timeoutMs = 10_000, maxSockets = 100 }) {
  const pool = new Pool(origin, { connections: maxSockets, pipelining: 1 });
  const interval = 1000 / rate;
  const skipped = Math.round(rate * warmup);
  const total = skipped + Math.max(1, Math.round(rate * duration));
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let answered = 0;
  let sent = 0;
  let measuredFrom = 0;
  let maxSendLagMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let lastSendAt = 0;
  return new Promise((resolve) => {
    const start = performance.now() + 10;
    const finish = () => {
      void pool.destroy();
      latencies.sort((a, b) => a - b);
      const round = (ms) => (ms === null ? null : Number(ms.toFixed(1)));
      resolve({
        targetPerSecond: Number(rate.toFixed(1)),
        durationSeconds: duration,
        scheduled: total - skipped,
        sentPerSecond: Number(((sent - skipped) / ((lastSendAt - measuredFrom) / 1000 || duration)).toFixed(1)),
        answered,
        errors,
        statuses,
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        p999Ms: round(percentile(latencies, 99.9)),
        maxMs: round(latencies.at(-1) ?? null),
        // How late the generator itself sent (its timer and event loop): large values mean the generator, not the server, fell behind.
        maxSendLagMs: round(maxSendLagMs),
        maxInFlight,
      });
    };
    const fire = (i, scheduled) => {
      let settled = false;
      const counted = i >= skipped;
      const complete = (status) => {
        if (settled) return;
        settled = true;
        inFlight--;
        if (sent === total && inFlight === 0) setImmediate(finish);
        if (!counted) return;
        if (typeof status === 'number') {
          statuses[status] = (statuses[status] ?? 0) + 1;
          latencies.push(performance.now() - scheduled);
          answered++;
          if (status < 200 || status >= 300) errors++;
        } else {
          statuses[status] = (statuses[status] ?? 0) + 1;
          errors++;
        }
      };
      inFlight++;
      if (counted) maxInFlight = Math.max(maxInFlight, inFlight);
      pool
        .request({ path: nextPath(i), method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
        .then(async ({ statusCode, body }) => {
          await body.dump({ limit: Infinity });
          complete(statusCode);
        })
        .catch((error) => complete(/TIMEOUT/.test(error.code ?? '') ? 'timeout' : 'error'));
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const scheduled = start + sent * interval;
        if (sent === skipped) measuredFrom = scheduled;
        if (sent >= skipped) maxSendLagMs = Math.max(maxSendLagMs, now - scheduled);
        fire(sent, scheduled);
        sent++;
        lastSendAt = now;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 10);
  });
}

/** The pid of the process listening on 127.0.0.1:`port` (or any address), from /proc; null when none. */
export function pidOnPort(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; st 0A is LISTEN; field 9 is the socket's inode.
      if (fields.length > 9 && fields[1].endsWith(`:${hex}`) && fields[3] === '0A') inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds;
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (link.startsWith('socket:[') && inodes.has(link.slice(8, -1))) return Number(entry);
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/** VmRSS of a process in MiB (one decimal), or null when it is gone. */
export function rssMiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ: what /proc/<pid>/stat counts in on Linux

/** CPU time (user + system) a process has used, in seconds, or null when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds of each PostgreSQL process (the server and its backends), by pid. */
export function postgresCpuSeconds() {
  const byPid = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') byPid[entry] = cpuSeconds(entry) ?? 0;
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

/** CPU seconds of each of `pids` ({ name: pid }), and `postgres`: PostgreSQL's processes by pid. */
export function cpuSnapshot(pids) {
  return { ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)])), postgres: postgresCpuSeconds() };
}

/**
 * CPU seconds each process used between two snapshots. PostgreSQL's is the
 * sum over its processes: a backend born meanwhile counts whole, one that
 * exited meanwhile (a pool closing an idle connection) is left out, as its
 * CPU time left /proc with it.
 */
function cpuUsed(before, after) {
  const used = {};
  for (const name of Object.keys(after)) {
    if (name === 'postgres') {
      used.postgres = Object.entries(after.postgres).reduce((n, [pid, s]) => n + s - (before.postgres[pid] ?? 0), 0);
    } else if (before[name] !== null && after[name] !== null) used[name] = after[name] - before[name];
  }
  return used;
}

/**
 * CPU milliseconds per request of each process between two snapshots taken
 * `seconds` apart, less what it uses idle (`idlePerSecond`, CPU seconds per
 * second: outbox relays, consumers' polls). Values under 0.01 ms are left out.
 */
export function cpuPerRequest(before, after, requests, seconds, idlePerSecond = {}) {
  const perRequest = {};
  for (const [name, used] of Object.entries(cpuUsed(before, after))) {
    const ms = (Math.max(0, used - (idlePerSecond[name] ?? 0) * seconds) * 1000) / requests;
    if (ms >= 0.01) perRequest[name] = Number(ms.toPrecision(3));
  }
  return perRequest;
}

/** CPU seconds per second each process used between two snapshots `seconds` apart. */
export function cpuRates(before, after, seconds) {
  return Object.fromEntries(Object.entries(cpuUsed(before, after)).map(([name, used]) => [name, Number((used / seconds).toFixed(4))]));
}

/** Samples the RSS of `pids` ({ name: pid }) every `intervalMs`; `stop()` returns each one's peak. */
export function sampleRss(pids, intervalMs = 250) {
  const peaks = Object.fromEntries(Object.keys(pids).map((name) => [name, null]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) {
      const rss = rssMiB(pid);
      if (rss !== null && (peaks[name] === null || rss > peaks[name])) peaks[name] = rss;
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/** Waits until `url` answers 200 (a process just started), or throws after `timeoutMs`. */
export async function waitAnswers(url, timeoutMs = 60_000) {
  for (const deadline = Date.now() + timeoutMs; ;) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(3000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} does not answer after ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The machine a run was made on, for BENCHMARKS.md. */
export function describeMachine() {
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))[1]);
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    ramGiB: Math.round(memKiB / 1024 / 1024),
    node: process.version,
    kernel: os.release(),
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}
