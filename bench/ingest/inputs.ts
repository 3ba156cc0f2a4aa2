/**
 * The ingest benchmark's one input, in the three shapes its scenarios need: the RFC 3164 file of
 * the pipeline benchmark (loghub Linux and OpenSSH lines, repeated), the same lines as a TCP
 * syslog stream (each with the `<PRI>` a sender puts in front, newline-framed, and one end marker
 * last), and, for the bare bulk loader, the documents Faultline makes of the file's lines as a
 * pre-serialized bulk body. The bulk body is cached in .cache/bench/ingest/.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { validateEvent } from '../../core/event/validate.ts';
import { lineRecord } from '../../ingest/sources/file/records.ts';
import { loadConfiguredPipelines } from '../../pipelines/index.ts';
import { pipelineParseResolver } from '../../runtime/parse.ts';
import { syslogInput } from '../pipelines/inputs.ts';
import { eachLine } from '../lines.ts';
import { dailyIndex } from '../store/prepare.ts';

const CACHE = fileURLToPath(new URL('../../.cache/bench/ingest/', import.meta.url));

/** The program name of the stream's last message: receivers recognize the end by it. */
export const END_PROGRAM = 'faultline-bench-end';

export interface IngestInputs {
  /** Lines in the file. */
  lines: number;
  /** RFC 3164 lines without PRI, as in /var/log/syslog. */
  file: string;
  /** The same lines with PRI and the end marker, newline-framed, as one TCP stream. */
  stream: Buffer;
  /** Messages in the stream: the lines and the end marker. */
  messages: number;
}

// Facilities as a real host sends these programs: authpriv for sshd and su, kern, cron, daemon.
const FACILITIES: [RegExp, number][] = [
  [/^(?:sshd|su|login)\b/, 10],
  [/^kernel\b/, 0],
  [/^(?:cron|CRON|crond)\b/, 9],
];
const PROGRAM = /^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ (\S+)/;
const FAILURE = /fail|invalid|error|refused/i;

/** The `<PRI>` a syslog sender would put before the line: facility from the program, severity from the words. */
export function priority(line: string): number {
  const program = PROGRAM.exec(line)?.[1] ?? '';
  const facility = FACILITIES.find(([pattern]) => pattern.test(program))?.[1] ?? 3;
  return facility * 8 + (FAILURE.test(line) ? 5 : 6);
}

export function prepareIngestInputs(lines: number): IngestInputs {
  const file = syslogInput(lines);
  const parts: string[] = [];
  eachLine(file, (line) => parts.push(`<${priority(line)}>${line}\n`));
  parts.push(`<13>Nov 23 00:00:00 bench ${END_PROGRAM}: end of the benchmark stream\n`);
  return { lines, file, stream: Buffer.from(parts.join('')), messages: parts.length };
}

/**
 * The bare loader's input: each line of the file made into the event the `syslog` pipeline and
 * the file source make of it (file context, id, validation), as `create` action and source lines
 * into `<prefix>-events-YYYY.MM.DD`: the documents `faultline ingest` writes, without Faultline.
 */
export function bareBulkInput(inputs: IngestInputs, prefix: string): string {
  mkdirSync(CACHE, { recursive: true });
  const bulk = `${CACHE}bulk-${prefix}-${inputs.lines}.ndjson`;
  if (existsSync(bulk)) return bulk;
  const parse = pipelineParseResolver(loadConfiguredPipelines(undefined))('syslog');
  const context = { hostName: hostname(), labels: {} };
  const fd = openSync(`${bulk}.partial`, 'w');
  let chunk = '';
  let offset = 0;
  eachLine(inputs.file, (text) => {
    const line = { text, start: offset, end: offset + Buffer.byteLength(text) + 1, truncated: false };
    const event = parse(lineRecord('bench', inputs.file, line, 'lines', context));
    const result = event === null ? undefined : validateEvent(event);
    if (result?.ok) {
      chunk += `{"create":{"_index":"${dailyIndex(prefix, result.event['@timestamp'])}","_id":"${result.event.event.id}"}}\n${JSON.stringify(result.event)}\n`;
    }
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
    offset = line.end;
  });
  writeSync(fd, chunk);
  closeSync(fd);
  renameSync(`${bulk}.partial`, bulk);
  return bulk;
}
