/**
 * `faultline serve` as its own process, as users run it: on a free port, configured only by the
 * variables given here (Faultline variables of the calling shell and a faultline.yaml in the
 * working directory are kept out), answered once it logs the address it listens on.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../../cli/node-flags.ts';

export const BIN = fileURLToPath(new URL('../../bin/faultline.js', import.meta.url));

export interface Served {
  url: string;
  pid: number;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/** The calling environment without FAULTLINE_* variables, plus `env`. */
export function faultlineEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FAULTLINE_')));
  return { ...clean, ...env };
}

export async function startServe(env: Record<string, string>): Promise<Served> {
  const server = spawn(process.execPath, [...NODE_FLAGS, BIN, 'serve', '--port', '0'], {
    cwd: tmpdir(),
    env: faultlineEnv({ ...env, FAULTLINE_LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = once(server, 'exit');
  // The log is read for as long as the server runs, so a chatty server never blocks on a full pipe.
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    server.stderr.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-10_000);
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) resolve(match[1] as string);
    });
    exited.then(([code]) => reject(new Error(`faultline serve exited with ${String(code)}:\n${log}`)), reject);
  });
  return {
    url,
    pid: server.pid as number,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
      await exited.catch(() => undefined);
    },
  };
}
