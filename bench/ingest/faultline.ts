/**
 * Faultline as users run it, in its own process so that its CPU time and memory are its own:
 * `faultline serve` or `faultline ingest` with a faultline.yaml written into a temporary
 * directory, or the discard receiver. FAULTLINE_* variables of the benchmark's environment are
 * not passed on, so the file alone configures it.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { found } from '../processes.ts';
import { NODE_FLAGS } from '../../cli/node-flags.ts';

/** The `faultline` command line, as a script for startFaultline. */
export const CLI = fileURLToPath(new URL('../../bin/faultline.js', import.meta.url));

export interface FaultlineProcess {
  readonly pid: number;
  /** The syslog input's port, from its `syslog listening` log line. */
  readonly syslogPort: number;
  /** The API's address, for `faultline serve`. */
  readonly apiUrl: string | undefined;
  stderr(): string;
  /** Resolves with the first match of `pattern` in the log from now on (or already there). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGTERM (SIGKILL after `graceMs`) and wait for the exit. */
  stop(graceMs?: number): Promise<void>;
  readonly exited: Promise<number | null>;
}

function environment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FAULTLINE_')));
}

/** Writes `config` (JSON is YAML) as `<dir>/faultline.yaml` and returns its path. */
export function writeConfig(dir: string, config: object): string {
  const file = join(dir, 'faultline.yaml');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/**
 * Starts a Node.js script of the project (the CLI, or a benchmark helper) pinned to `cpu` when
 * given, and waits for its syslog listener (and, when `api` is set, the API) to be up.
 */
export async function startFaultline(script: string, args: string[], options: { cpu?: number | null; api?: boolean } = {}): Promise<FaultlineProcess> {
  const command = [process.execPath, ...process.execArgv, ...NODE_FLAGS, script, ...args];
  const pinned = options.cpu !== undefined && options.cpu !== null && found('taskset');
  const child = pinned ? spawn('taskset', ['-c', String(options.cpu), ...command], { env: environment(), stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(command[0] as string, command.slice(1), { env: environment(), stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const listeners = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(log);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Faultline did not log ${pattern} within ${timeoutMs} ms: ${log.trim().slice(-2000) || 'no output'}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      void exited.then((code) => {
        if (!listeners.has(check)) return;
        done();
        reject(new Error(`Faultline exited with ${code} before logging ${pattern}: ${log.trim().slice(-2000) || 'no output'}`));
      });
      check();
    });
  const stop = async (graceMs = 60_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const syslog = await waitFor(/syslog listening .*port=(\d+)/, 60_000);
    const api = options.api ? await waitFor(/listening on (http:\/\/\S+)/, 60_000) : undefined;
    return { pid: child.pid as number, syslogPort: Number(syslog[1]), apiUrl: api?.[1], stderr: () => log, waitFor, stop, exited };
  } catch (error) {
    await stop(5000);
    throw error;
  }
}

/** Runs `faultline <args>` to its end; the wall time from spawn to exit, and what it printed. */
export async function runFaultline(args: string[]): Promise<{ seconds: number; code: number | null; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, ...NODE_FLAGS, CLI, ...args], { env: environment(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exit) => resolve(exit)));
  return { seconds: (performance.now() - started) / 1000, code, stderr };
}
