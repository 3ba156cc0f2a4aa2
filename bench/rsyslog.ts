/**
 * rsyslog as a reference beside Faultline: a separate rsyslogd with its own config, pid file and
 * work directory under a temporary directory (never the system's daemon), listening for TCP
 * syslog on 127.0.0.1, optionally pinned to one CPU. The caller gives the modules and the ruleset
 * that handles what arrives. Debian: `apt-get install -y rsyslog` (and `rsyslog-elasticsearch`
 * for omelasticsearch).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { found, freePort, waitForPort } from './processes.ts';

/** The fields Faultline's syslog pipeline gives every message, from rsyslog's parsed properties. */
const ECS_DOCUMENT =
  '{"@timestamp":"%timereported:::date-rfc3339%","host.name":"%hostname:::json%","process.name":"%programname:::json%",' +
  '"process.pid":"%procid:::json%","log.syslog.facility.name":"%syslogfacility-text%","log.syslog.severity.name":"%syslogseverity-text%",' +
  '"message":"%msg:2:$:drop-last-lf,json%","normalized":%$!%}';

/**
 * rsyslog's equivalent of the `syslog` pipeline, as parts of an rsyslog configuration: mmnormalize
 * with liblognorm rules for the messages the pipeline normalizes (sshd logins, invalid users and
 * disconnects; PAM authentication failures and sessions; su; cron: rsyslog-normalize.rb), then
 * templates of one JSON document per message: `ecs` (for omelasticsearch) and `ecs-line` (the
 * same with a newline, for omfile), the header's properties under ECS names and what the rules
 * extracted under `normalized` (an empty object when no rule matched).
 */
export const RSYSLOG_SYSLOG_PIPELINE = {
  preamble: [
    'module(load="mmnormalize")',
    `template(name="ecs" type="string" string="${ECS_DOCUMENT.replaceAll('"', '\\"')}")`,
    `template(name="ecs-line" type="string" string="${ECS_DOCUMENT.replaceAll('"', '\\"')}\\n")`,
  ],
  /** The statements a ruleset begins with, before its output action. */
  ruleset: [
    `action(type="mmnormalize" rulebase="${fileURLToPath(new URL('./rsyslog-normalize.rb', import.meta.url))}")`,
    'if $parsesuccess != "OK" then { unset $!originalmsg; unset $!unparsed-data; }',
  ],
} as const;

export interface RsyslogOptions {
  /** TCP input module: `imtcp`, or `imptcp` (the faster plain-TCP one). */
  input: 'imtcp' | 'imptcp';
  /** Lines before the input, e.g. `module(load="omelasticsearch")`, templates, `main_queue(...)`. */
  preamble: string[];
  /** The ruleset's statements; `{work}` in them stands for the work directory. */
  ruleset: string[];
  /** Pin rsyslogd to this CPU (taskset), when taskset is there. */
  cpu?: number | null;
}

export interface Rsyslog {
  readonly version: string;
  readonly pid: number;
  readonly port: number;
  readonly work: string;
  readonly cpu: number | null;
  readonly config: string;
  stderr(): string;
  /** SIGTERM, wait for the exit, remove the work directory. */
  stop(): Promise<void>;
}

/** Why rsyslog cannot run here (with how to install what is missing), or null when it can. */
export function rsyslogMissing(modules: string[] = []): string | null {
  if (!found('rsyslogd')) return 'rsyslogd not found (Debian: apt-get install -y rsyslog)';
  for (const module of modules) {
    const paths = ['/usr/lib/x86_64-linux-gnu/rsyslog', '/usr/lib/aarch64-linux-gnu/rsyslog', '/usr/lib/rsyslog'].map((dir) => join(dir, `${module}.so`));
    if (!paths.some((path) => existsSync(path))) return `rsyslog module ${module} not found${module === 'omelasticsearch' ? ' (Debian: apt-get install -y rsyslog-elasticsearch)' : ''}`;
  }
  return null;
}

export function rsyslogVersion(): string {
  return /rsyslogd\s+(\S+)/.exec(spawnSync('rsyslogd', ['-v'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
}

export async function startRsyslog(options: RsyslogOptions): Promise<Rsyslog> {
  const work = mkdtempSync(join(tmpdir(), 'faultline-bench-rsyslog-'));
  const port = await freePort();
  const config = [
    `global(workDirectory="${work}")`,
    `module(load="${options.input}")`,
    ...options.preamble,
    'ruleset(name="bench") {',
    ...options.ruleset.map((line) => `  ${line.replaceAll('{work}', work)}`),
    '}',
    `input(type="${options.input}" address="127.0.0.1" port="${port}" ruleset="bench")`,
    '',
  ].join('\n');
  const file = join(work, 'rsyslog.conf');
  writeFileSync(file, config);
  const cpu = options.cpu ?? null;
  const pinned = cpu !== null && found('taskset');
  const args = ['-n', '-f', file, '-i', join(work, 'rsyslogd.pid')];
  const child = pinned ? spawn('taskset', ['-c', String(cpu), 'rsyslogd', ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn('rsyslogd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, Date.now() + 10_000, 'rsyslogd');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}: ${stderr.trim() || 'no error output'}`, { cause: error });
  }
  return { version: rsyslogVersion(), pid: child.pid as number, port, work, cpu: pinned ? cpu : null, config, stderr: () => stderr, stop };
}
