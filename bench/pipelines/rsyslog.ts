/**
 * rsyslog as the reference: a separate rsyslogd (its own config, pid file and work directory,
 * never the system's) receives the benchmark's syslog file over TCP on 127.0.0.1, parses each
 * line with its RFC 3164 parser and mmnormalize (rsyslog's equivalent of the `syslog` pipeline,
 * bench/rsyslog.ts), and writes it to a file as JSON (the document bench:ingest sends to
 * Elasticsearch), as Faultline writes its events as JSON; the rate is lines written per second. Pinned to one CPU
 * when taskset is there. Debian: `apt-get install -y rsyslog`.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { cpuSecondsOf } from '../processes.ts';
import { RSYSLOG_SYSLOG_PIPELINE, rsyslogMissing, startRsyslog } from '../rsyslog.ts';

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
  const missing = rsyslogMissing();
  if (missing) return { ran: false, reason: missing };
  const rsyslog = await startRsyslog({
    input: 'imtcp',
    preamble: [...RSYSLOG_SYSLOG_PIPELINE.preamble],
    ruleset: [
      ...RSYSLOG_SYSLOG_PIPELINE.ruleset,
      'action(type="omfile" file="{work}/out.log" template="ecs-line" asyncWriting="on" ioBufferSize="1m" flushOnTXEnd="off" flushInterval="1")',
    ],
    cpu,
  });
  try {
    const count = lineCounter(join(rsyslog.work, 'out.log'));
    const started = performance.now();
    const cpuBefore = cpuSecondsOf(rsyslog.pid);
    const socket = connect(rsyslog.port, '127.0.0.1');
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
        throw new Error(`rsyslogd stopped at ${now} of ${expectedLines} lines: ${rsyslog.stderr().trim() || 'no error output'}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSecondsOf(rsyslog.pid) - cpuBefore;
    socket.destroy();
    return { ran: true, result: { version: rsyslog.version, lines: expectedLines, seconds, rate: expectedLines / seconds, cpuSeconds, cpuRate: expectedLines / cpuSeconds, cpu: rsyslog.cpu } };
  } finally {
    await rsyslog.stop();
  }
}
