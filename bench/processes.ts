/**
 * What benchmarks need to run other programs beside Faultline and watch them: finding a command,
 * free ports, waiting for a listener, and a process's CPU time and resident memory from Linux /proc.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export function found(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

export async function waitForPort(port: number, deadline: number, what: string): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port}`);
}

/**
 * Lets every thread of a process run only on `cpus` (taskset's list, `0` or `0-3`); false when
 * taskset is missing or refused.
 */
export function pinProcess(pid: number, cpus: string): boolean {
  return found('taskset') && spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The CPUs a process may run on, as taskset lists them (`0-3`, `0,2`), or undefined. */
export function affinityOf(pid: number): string | undefined {
  if (!found('taskset')) return undefined;
  const shown = spawnSync('taskset', ['-c', '-p', String(pid)], { encoding: 'utf8' });
  return shown.status === 0 ? /affinity list:\s*(\S+)/.exec(shown.stdout)?.[1] : undefined;
}

let clockTicks: number | undefined;

/** Utime + stime of a process, in seconds. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** Resident memory of a process in MiB (VmRSS), 0 once it is gone. */
export function rssMbOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every `intervalMs`; `peak` since start, `peakSince(mark)` since a mark. */
export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  readonly #samples: { at: number; mb: number }[] = [];

  constructor(pid: number, intervalMs = 100) {
    this.#pid = pid;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): number {
    const mb = rssMbOf(this.#pid);
    if (mb > 0) this.#samples.push({ at: performance.now(), mb });
    return mb;
  }

  get peak(): number {
    return this.peakBetween(0, Number.POSITIVE_INFINITY);
  }

  peakBetween(from: number, to: number): number {
    let peak = 0;
    for (const { at, mb } of this.#samples) if (at >= from && at <= to && mb > peak) peak = mb;
    return peak;
  }

  get count(): number {
    return this.#samples.length;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
