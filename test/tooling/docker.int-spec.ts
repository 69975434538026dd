// The Dockerfile and docker-compose.yml cannot drift from the repository:
// compose validates with `docker-compose config -q` (Debian's docker-compose
// package needs no engine for it; installed with apt-get when missing, and the
// test fails, never skips, when it cannot be had), every service URL points at
// another container, every config default that points at 127.0.0.1 is
// overridden, and the Dockerfile's steps cannot mask a failure and name only
// files that exist.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describeRun, namedPathExists, npmScriptsIn, packageScripts, pathsIn, ROOT, run, sourceFiles } from './tooling.js';

interface ComposeService {
  build?: string | { context?: string; target?: string };
  environment?: Record<string, string | number | null> | string[];
  command?: string | string[];
  entrypoint?: string | string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '::1', '[::1]']);

/** docker-compose (v1, Debian's package) or `docker compose` (the plugin); installs Debian's package when neither answers. */
function findCompose(): string[] {
  const answers = (cmd: string[]) => {
    try {
      return run(cmd[0], [...cmd.slice(1), 'version'], {}, 30_000).status === 0;
    } catch {
      return false; // not on PATH
    }
  };
  for (const cmd of [['docker-compose'], ['docker', 'compose']]) if (answers(cmd)) return cmd;
  const why = 'docker-compose.yml cannot be validated: neither `docker-compose` nor `docker compose` is available';
  if (process.getuid?.() !== 0)
    throw new Error(`${why}, and installing it needs root: apt-get install docker-compose (Debian) or the docker compose plugin`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update'], env, 300_000);
  if (update.status !== 0) throw new Error(`${why}; apt-get update failed. ${describeRun('apt-get update', update)}`);
  const install = run('apt-get', ['install', '-y', '--no-install-recommends', 'docker-compose'], env, 600_000);
  if (install.status !== 0) throw new Error(`${why}; apt-get install docker-compose failed. ${describeRun('apt-get install', install)}`);
  if (!answers(['docker-compose'])) throw new Error(`${why}; docker-compose was installed but does not run`);
  return ['docker-compose'];
}

function environment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.split('=')[0], e.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const commandText = (c: string | string[] | undefined) => (Array.isArray(c) ? c.join(' ') : (c ?? ''));

/** Dockerfile instructions with continuation lines joined, comments dropped. */
function dockerfileInstructions(text: string): { instruction: string; args: string }[] {
  const out: { instruction: string; args: string }[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (!current && /^\s*(#|$)/.test(line)) continue;
    current += line.replace(/\\\s*$/, ' ');
    if (/\\\s*$/.test(line)) continue;
    const match = /^\s*(\w+)\s+([\s\S]*)$/.exec(current);
    if (match) out.push({ instruction: match[1].toUpperCase(), args: match[2].trim() });
    current = '';
  }
  return out;
}

/** The shell command of a RUN/CMD/ENTRYPOINT (exec form joined). */
function shellOf(args: string): string {
  if (!args.startsWith('[')) return args;
  return (JSON.parse(args) as string[]).join(' ');
}

describe('docker-compose.yml', () => {
  let compose: string[];
  let services: Record<string, ComposeService>;

  beforeAll(() => {
    compose = findCompose();
  }, 900_000);

  it('is valid (docker-compose config -q)', () => {
    const result = run(compose[0], [...compose.slice(1), '-f', 'docker-compose.yml', 'config', '-q'], {}, 60_000);
    if (result.status !== 0) throw new Error(describeRun(`${compose.join(' ')} config -q`, result));
  });

  describe('resolved', () => {
    beforeAll(() => {
      const result = run(compose[0], [...compose.slice(1), '-f', 'docker-compose.yml', 'config'], {}, 60_000);
      if (result.status !== 0) throw new Error(describeRun(`${compose.join(' ')} config`, result));
      services = (parse(result.stdout) as { services: Record<string, ComposeService> }).services;
    });

    it('points every service URL (…_URL, JWKS, KAFKA_BROKERS) at another container by its service name', () => {
      const problems: string[] = [];
      for (const [name, service] of Object.entries(services)) {
        for (const [variable, value] of Object.entries(environment(service))) {
          if (!/_URL$|JWKS/.test(variable) && variable !== 'KAFKA_BROKERS') continue;
          const hosts =
            variable === 'KAFKA_BROKERS' ? value.split(',').map((b) => b.trim().replace(/:\d+$/, '')) : [new URL(value).hostname];
          for (const host of hosts) {
            if (LOOPBACK.has(host)) problems.push(`${name}.${variable}=${value}: ${host} is the container itself`);
            else if (host === name) problems.push(`${name}.${variable}=${value}: points at its own container`);
            else if (!(host in services)) problems.push(`${name}.${variable}=${value}: ${host} is not a service of docker-compose.yml`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it("sets every variable whose default in the app's config points at 127.0.0.1 (the container itself)", async () => {
      const problems: string[] = [];
      const apps = Object.entries(services).filter(([, s]) => environment(s).SERVICE);
      expect(apps.map(([, s]) => environment(s).SERVICE).sort()).toEqual(['claims', 'gateway', 'identity', 'providers', 'referrals']);
      const files = sourceFiles();
      for (const [name, service] of apps) {
        const env = environment(service);
        const configs = files.filter((f) => f.startsWith(`apps/${env.SERVICE}/src/`) && /\.config\.ts$/.test(f));
        expect({ name, configs: configs.length > 0 }).toEqual({ name, configs: true });
        for (const file of configs) {
          const module = (await import(path.join(ROOT, file))) as Record<string, unknown>;
          for (const [exported, value] of Object.entries(module)) {
            if (typeof value !== 'function' || !/Config$/.test(exported)) continue;
            const defaults = new (value as new () => Record<string, unknown>)();
            for (const [variable, fallback] of Object.entries(defaults)) {
              if (typeof fallback !== 'string' || !/127\.0\.0\.1|localhost/.test(fallback)) continue;
              if (!env[variable]) problems.push(`${name}: ${variable} is left at ${fallback} (${exported}, ${file})`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('runs npm scripts that exist, names files that exist, and builds stages the Dockerfile has', () => {
      const scripts = packageScripts();
      const files = sourceFiles();
      const stages = [...readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
      const problems: string[] = [];
      for (const [name, service] of Object.entries(services)) {
        const command = `${commandText(service.entrypoint)} ${commandText(service.command)}`;
        for (const script of npmScriptsIn(command))
          if (!(script in scripts)) problems.push(`${name}: npm run ${script} is not in package.json`);
        for (const named of pathsIn(command)) {
          if (named.startsWith('dist/')) problems.push(`${name}: names the build output ${named}; run the npm script instead`);
          else if (!namedPathExists(named, files)) problems.push(`${name}: ${named} does not exist`);
        }
        const target = typeof service.build === 'object' ? service.build.target : undefined;
        if (target && !stages.includes(target)) problems.push(`${name}: build target ${target} is not a stage of the Dockerfile`);
      }
      expect(problems).toEqual([]);
    });
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfileInstructions(text);

  it('has RUN steps that cannot mask a failure', () => {
    const masking = [/\|\|\s*(true|:|exit\s+0)(?=\s|;|&|\)|$)/, /;\s*true(?=\s|;|&|\)|$)/, /\bset\s+\+e\b/, /\|\|\s*echo\b/];
    const runs = instructions.filter((i) => i.instruction === 'RUN');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((i) => masking.some((m) => m.test(shellOf(i.args)))).map((i) => `RUN ${i.args}`)).toEqual([]);
  });

  it('names in RUN/CMD/ENTRYPOINT only npm scripts and files that exist (dist/ outputs by their sources)', () => {
    const scripts = packageScripts();
    const files = sourceFiles();
    const composeText = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const serviceNames = [...composeText.matchAll(/SERVICE:\s*([\w-]+)/g)].map((m) => m[1]);
    expect(serviceNames.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { instruction, args } of instructions.filter((i) => ['RUN', 'CMD', 'ENTRYPOINT'].includes(i.instruction))) {
      const command = shellOf(args);
      for (const script of npmScriptsIn(command))
        if (!(script in scripts)) problems.push(`${instruction}: npm run ${script} is not in package.json`);
      for (const named of pathsIn(command)) {
        const expanded = named.includes('${SERVICE}') ? serviceNames.map((s) => named.replaceAll('${SERVICE}', s)) : [named];
        for (const one of expanded)
          if (!namedPathExists(one, files)) problems.push(`${instruction}: ${one} has no file or source in the repository`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('copies the files its steps name into the build context (.dockerignore leaves them in)', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
      .map(
        (p) =>
          new RegExp(
            `^${p
              .replace(/\/$/, '')
              .replace(/[.+?^$()[\]{}|\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')}(/|$)`,
          ),
      );
    const named = instructions
      .filter((i) => ['RUN', 'CMD', 'ENTRYPOINT'].includes(i.instruction))
      .flatMap((i) => pathsIn(shellOf(i.args)))
      .filter((p) => !p.startsWith('dist/'));
    expect(named.filter((p) => ignored.some((re) => re.test(p.replace(/^\.\//, ''))))).toEqual([]);
  });
});
