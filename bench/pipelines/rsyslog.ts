/**
 * rsyslog as the reference: a separate rsyslogd (its own config, pid file and work directory,
 * never the system's) receives the benchmark's syslog file over TCP on 127.0.0.1, parses each
 * line with its RFC 3164 parser and writes timestamp, host, program, pid and message through a
 * template to a file; the rate is lines written per second. Pinned to one CPU when taskset is
 * there. Debian: `apt-get install -y rsyslog`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RsyslogResult {
  version: string;
  lines: number;
  seconds: number;
  rate: number;
  cpuSeconds: number;
  cpuRate: number;
  cpu: number | null;
}

export type RsyslogOutcome = { ran: true; result: RsyslogResult } | { ran: false; reason: string };

const TEMPLATE = '%timereported:::date-rfc3339%\\t%hostname%\\t%programname%\\t%procid%\\t%msg:2:$%\\n';

function found(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function waitForPort(port: number, deadline: number): Promise<void> {
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
  throw new Error(`rsyslogd did not listen on 127.0.0.1:${port}`);
}

/** Utime + stime of a process, in seconds (Linux /proc). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/** Counts the newlines appended to a file since the last call. */
function lineCounter(file: string): () => number {
  let offset = 0;
  let lines = 0;
  const buffer = Buffer.allocUnsafe(1 << 20);
  return () => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return lines;
    }
    if (size <= offset) return lines;
    const fd = openSync(file, 'r');
    try {
      while (offset < size) {
        const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset);
        if (read === 0) break;
        for (let index = 0; index < read; index++) if (buffer[index] === 10) lines++;
        offset += read;
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  };
}

export async function runRsyslog(input: string, expectedLines: number, cpu: number | null): Promise<RsyslogOutcome> {
  if (!found('rsyslogd')) return { ran: false, reason: 'rsyslogd not found (Debian: apt-get install -y rsyslog)' };
  const version = /rsyslogd\s+(\S+)/.exec(spawnSync('rsyslogd', ['-v'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
  const work = mkdtempSync(join(tmpdir(), 'faultline-bench-rsyslog-'));
  const port = await freePort();
  const output = join(work, 'out.log');
  const config = join(work, 'rsyslog.conf');
  writeFileSync(
    config,
    [
      `global(workDirectory="${work}")`,
      'module(load="imtcp")',
      `template(name="normalized" type="string" string="${TEMPLATE}")`,
      'ruleset(name="bench") {',
      `  action(type="omfile" file="${output}" template="normalized" asyncWriting="on" ioBufferSize="1m" flushOnTXEnd="off" flushInterval="1")`,
      '}',
      `input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="bench")`,
      '',
    ].join('\n'),
  );
  const pinned = cpu !== null && found('taskset');
  const command = pinned ? 'taskset' : 'rsyslogd';
  const args = [...(pinned ? ['-c', String(cpu), 'rsyslogd'] : []), '-n', '-f', config, '-i', join(work, 'rsyslogd.pid')];
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, Date.now() + 10_000);
    const count = lineCounter(output);
    const started = performance.now();
    const cpuBefore = cpuSecondsOf(child.pid as number);
    const socket = connect(port, '127.0.0.1');
    createReadStream(input).pipe(socket);
    let last = 0;
    let lastChange = performance.now();
    while (count() < expectedLines) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = count();
      if (now !== last) {
        last = now;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > 15_000) {
        throw new Error(`rsyslogd stopped at ${now} of ${expectedLines} lines: ${stderr.trim() || 'no error output'}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSecondsOf(child.pid as number) - cpuBefore;
    socket.destroy();
    return { ran: true, result: { version, lines: expectedLines, seconds, rate: expectedLines / seconds, cpuSeconds, cpuRate: expectedLines / cpuSeconds, cpu: pinned ? cpu : null } };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(work, { recursive: true, force: true });
  }
}
