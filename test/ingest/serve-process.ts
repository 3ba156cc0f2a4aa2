/**
 * `faultline serve` as a child process, for the tests that kill it: start it on a configuration,
 * wait until it listens, kill it with any signal, read its memory from /proc. Its log goes to a
 * file in the test's directory (printed when a start fails), so a crash leaves evidence.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../cli/node-flags.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
const START_TIMEOUT_MS = 30_000;
/** Every child not yet exited, so a failing test can still end them (afterAll: killServes()). */
const running = new Set<ChildProcess>();

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The API's base URL, as the process logged it. */
  readonly url: string;
  /** Resolves with the exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit; resolves with the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** A port nobody listens on at the moment (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port from the OS');
  return address.port;
}

/** Writes `config` (JSON is YAML) as `<dir>/faultline.yaml` and returns its path. */
export function writeConfig(dir: string, config: unknown): string {
  const file = join(dir, 'faultline.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * Starts `faultline serve --config <file>`; resolves once it logged that it listens. `nodeOptions`
 * go to Node itself (e.g. `--max-old-space-size=128`).
 */
export async function startServe(configFile: string, logFile: string, nodeOptions: string[] = []): Promise<ServeProcess> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...NODE_FLAGS, ...nodeOptions, BIN, 'serve', '--config', configFile], { stdio: ['ignore', log, log] });
  closeSync(log);
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const deadline = Date.now() + START_TIMEOUT_MS;
  const started = readFileSync(logFile, 'utf8').length;
  for (;;) {
    const text = readFileSync(logFile, 'utf8').slice(started);
    const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
    if (url) {
      return {
        child,
        pid: child.pid ?? 0,
        url,
        exited,
        stop: (signal) => {
          child.kill(signal);
          return exited;
        },
      };
    }
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`faultline serve did not start (exit ${child.exitCode ?? child.signalCode}); its log:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills (SIGKILL) every serve process this file started that is still running. */
export async function killServes(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** What GET /api/inputs says about one input and about delivery (the fields the tests read). */
export interface IngestStatus {
  input: { received: number; pending: number; stored: number; duplicate: number; rejected: number; spooled: number; replayed: number };
  delivery: { queue_events: number; spool_bytes: number; store_available: boolean };
}

export async function ingestStatus(url: string, inputId: string): Promise<IngestStatus> {
  const body = (await (await fetch(`${url}/api/inputs`)).json()) as { inputs: (IngestStatus['input'] & { id: string })[]; delivery: IngestStatus['delivery'] };
  const input = body.inputs.find((candidate) => candidate.id === inputId);
  if (!input) throw new Error(`GET /api/inputs lists no input '${inputId}'`);
  return { input, delivery: body.delivery };
}

/**
 * Resident memory of a process in bytes, from /proc/<pid>/status: `rss` now (VmRSS) and `peak`, the
 * most it ever had (VmHWM, so no spike between two samples is missed); zeros once it is gone.
 */
export function residentMemory(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/**
 * Runs `faultline serve` on `configFile` once more, with nothing sending, until delivery is idle:
 * what earlier runs left in the spool (acknowledged, so it must reach the store) has been
 * replayed. A SIGTERM keeps the spool for the next run rather than waiting for a slow store, so a
 * test that reads the store afterwards needs this run. Resolves with the spool bytes it found.
 */
export async function replaySpool(configFile: string, logFile: string, timeoutMs = 60_000): Promise<number> {
  const server = await startServe(configFile, logFile);
  let idle: { found: number; left: IngestStatus['delivery'] | null };
  try {
    idle = await untilIdle(server.url, timeoutMs);
  } catch (error) {
    await server.stop('SIGKILL');
    throw error;
  }
  const code = await server.stop('SIGTERM');
  if (idle.left) throw new Error(`the spool still held ${idle.left.spool_bytes} bytes after ${timeoutMs} ms (store available: ${idle.left.store_available})`);
  if (code !== 0) throw new Error(`the run that replayed the spool exited with ${code} after SIGTERM`);
  return idle.found;
}

/** Polls delivery until its queue and spool are empty: the spool bytes first seen, and what was left at the deadline. */
async function untilIdle(url: string, timeoutMs: number): Promise<{ found: number; left: IngestStatus['delivery'] | null }> {
  const deadline = Date.now() + timeoutMs;
  let found: number | undefined;
  for (;;) {
    const { delivery } = (await (await fetch(`${url}/api/inputs`)).json()) as { delivery: IngestStatus['delivery'] };
    found ??= delivery.spool_bytes;
    if (delivery.spool_bytes === 0 && delivery.queue_events === 0) return { found, left: null };
    if (Date.now() > deadline) return { found, left: delivery };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
