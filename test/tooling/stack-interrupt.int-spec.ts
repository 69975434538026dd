// `npm start` interrupted as a terminal interrupts it: SIGINT to the whole
// foreground process group, during each phase of the launch. Whatever phase it
// is in, it stops what it started (the services and the Kafka broker it started
// itself) and exits 130, leaving no process of its group behind.
import { spawn, spawnSync } from 'node:child_process';
import { DEFAULT_PORTS, portAnswers } from '../../scripts/lib/stack.mjs';
import { ROOT } from './tooling.js';

/**
 * A port no other test uses: `npm start` finds no broker there and starts (and must stop) its own. Below Linux's
 * ephemeral range (32768–60999): a client connection of a parallel test can hold a port in it, and the broker
 * then cannot bind (it happened on CI with 39392).
 */
const BROKER = '127.0.0.1:29392';
const SERVICE_PORTS = Object.values(DEFAULT_PORTS).map((port) => `127.0.0.1:${port}`);

/** The processes of a process group that are still alive (zombies excluded). */
function groupMembers(pgid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pgid=,stat=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map((fields) => fields.slice(2).join(' '));
}

/** Processes of this test's broker (its data directory is in their command line), wherever their group is. */
function brokerProcesses(): string[] {
  const ps = spawnSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(`kafka-${BROKER.split(':')[1]}`) && !line.startsWith('Z') && !/\bps -eo\b/.test(line));
}

interface Interrupted {
  code: number | null;
  output: string;
}

/** Starts `npm start`'s launcher in a group of its own, waits for `phase` to begin, and interrupts the group. */
async function interruptDuring(phase: (output: string) => Promise<boolean>): Promise<Interrupted & { pgid: number }> {
  const launcher = spawn(process.execPath, ['scripts/stack.mjs'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, KAFKA_BROKERS: BROKER },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));
  const deadline = Date.now() + 180_000;
  while (!(await phase(output))) {
    if (launcher.exitCode !== null || Date.now() > deadline) throw new Error(`the phase never came:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(-launcher.pid!, 'SIGINT');
  const code = await exited;
  return { code, output, pgid: launcher.pid! };
}

async function nothingLeft(pgid: number): Promise<Record<string, unknown>> {
  // The launcher has exited; its group's processes (the steps' children, the services) must be gone too.
  // The broker runs outside the group (kafka.sh detaches it): its JVM closes the port before it has exited, so the
  // next case could find it still alive and holding its data directory. Its processes must be gone too.
  const deadline = Date.now() + 60_000;
  while ((groupMembers(pgid).length > 0 || brokerProcesses().length > 0) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const answering = [];
  for (const hostPort of [BROKER, ...SERVICE_PORTS]) if (await portAnswers(hostPort)) answering.push(hostPort);
  return { group: groupMembers(pgid), answering, broker: brokerProcesses() };
}

const logged = (line: string) => async (output: string) => output.includes(line);

describe('npm start interrupted with Ctrl-C (SIGINT to its process group)', () => {
  it.each([
    ['the migration', logged('migrating databases')],
    ['the start of the services', logged('starting services')],
    // Every service answers ready: the seed step is what runs next.
    [
      'the seed',
      async (output: string) =>
        output.includes('starting services') &&
        (
          await Promise.all(
            SERVICE_PORTS.map((hostPort) =>
              fetch(`http://${hostPort}/health/ready`)
                .then((answer) => answer.status === 200)
                .catch(() => false),
            ),
          )
        ).every(Boolean),
    ],
  ])('during %s stops everything it started and exits 130', async (_phase, phase) => {
    const { code, output, pgid } = await interruptDuring(phase);
    expect(output).toContain(`starting local Kafka on ${BROKER}`);
    expect(output).not.toMatch(/uncaught|unhandled/i);
    expect({ code, left: await nothingLeft(pgid) }).toEqual({ code: 130, left: { group: [], answering: [], broker: [] } });
  });
});
