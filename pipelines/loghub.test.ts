/**
 * Real logs: the loghub samples (../shared/data/loghub, see its README and LICENSE) run through
 * grok + date + level pipelines, checked line by line against the collection's ground truth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../core/event/types.ts';
import { parseLine } from './processors/csv.ts';
import { pipelineOf } from './testing/harness.ts';

const data = join(import.meta.dirname, '..', '..', 'shared', 'data', 'loghub');
const linesOf = (file: string) => readFileSync(join(data, file), 'utf8').split('\n').filter((line) => line.trim() !== '');
const truthOf = (file: string) => {
  const [header, ...rows] = linesOf(file);
  const columns = parseLine((header as string).replace(/\r$/, ''), ',', '"', 100) as string[];
  return rows.map((row) => {
    const values = parseLine(row.replace(/\r$/, ''), ',', '"', 100) as string[];
    return Object.fromEntries(columns.map((column, index) => [column, values[index] ?? '']));
  });
};
const field = (event: JsonObject | null, path: string): unknown => path.split('.').reduce<unknown>((value, part) => (value as JsonObject | undefined)?.[part], event);

const syslog = [
  {
    grok: {
      patterns: [
        '^%{SYSLOGTIMESTAMP:timestamp} %{SYSLOGHOST:host.name} %{SYSLOGPROG}: ?%{GREEDYDATA:message}$',
        // Tags with spaces, such as `syslogd 1.4.1: restart.` and `combo  -- root[2421]: ...`
        '^%{SYSLOGTIMESTAMP:timestamp} %{SYSLOGHOST:host.name} +(?<process.name>[^:[]+)(?:\\[%{POSINT:process.pid:int}\\])?: ?%{GREEDYDATA:message}$',
      ],
    },
  },
  { date: { formats: ['RFC3164'], year: 2005 } },
  { remove: { field: 'timestamp' } },
  { trim: { field: 'message' } },
];

describe('loghub samples', () => {
  it('Linux (RFC 3164): every line parses into host, process, pid, message and a timestamp, as the ground truth says', () => {
    const pipeline = pipelineOf(syslog);
    const truth = truthOf('Linux_2k.log_structured.csv');
    const lines = linesOf('Linux_2k.log');
    expect(lines).toHaveLength(truth.length);
    lines.forEach((line, index) => {
      const expected = truth[index] as Record<string, string>;
      const event = pipeline.run(line);
      expect(event?.['error'], line).toBeUndefined();
      expect(field(event, 'host.name')).toBe(expected['Level']);
      expect(field(event, 'process.name')).toBe(expected['Component']);
      expect(field(event, 'process.pid')).toBe(expected['PID'] === '' ? undefined : Number(expected['PID']));
      expect(field(event, 'message') ?? '').toBe((expected['Content'] as string).trim());
      const day = String(expected['Date']).padStart(2, '0');
      expect(field(event, '@timestamp')).toMatch(new RegExp(`^2005-\\d\\d-${day}T${expected['Time']}\\.000Z$`));
    });
    expect(pipeline.metrics()).toMatchObject({ processed: truth.length, failed: 0 });
  });

  it('OpenSSH: every line parses, the process is sshd', () => {
    const pipeline = pipelineOf(syslog);
    const truth = truthOf('OpenSSH_2k.log_structured.csv');
    linesOf('OpenSSH_2k.log').forEach((line, index) => {
      const expected = truth[index] as Record<string, string>;
      const event = pipeline.run(line);
      expect(field(event, 'host.name')).toBe(expected['Component']);
      expect(field(event, 'process.name')).toBe('sshd');
      expect(field(event, 'process.pid')).toBe(Number(expected['Pid']));
      expect(field(event, 'message')).toBe((expected['Content'] as string).trim());
    });
  });

  it('Apache error log: timestamp and normalized level from HTTPD20_ERRORLOG', () => {
    const pipeline = pipelineOf([{ grok: { patterns: ['^%{HTTPD20_ERRORLOG}$'] } }, { date: { formats: ['HTTPDERROR_DATE'] } }, { level: {} }, { remove: { field: 'timestamp' } }]);
    const truth = truthOf('Apache_2k.log_structured.csv');
    const levels: Record<string, string> = { notice: 'notice', error: 'error', warn: 'warning', info: 'info' };
    linesOf('Apache_2k.log').forEach((line, index) => {
      const expected = truth[index] as Record<string, string>;
      const event = pipeline.run(line);
      expect(event?.['error'], line).toBeUndefined();
      expect(field(event, 'log.level')).toBe(levels[expected['Level'] as string]);
      // The ground truth keeps `[client ip]` in the content; the pattern moves it to source.address.
      const client = /^\[client ([^\]]+)\] (.*)$/.exec((expected['Content'] as string).trim());
      expect(field(event, 'source.address')).toBe(client?.[1]);
      expect(field(event, 'message')).toBe(client?.[2] ?? (expected['Content'] as string).trim());
      expect(field(event, '@timestamp')).toBe(new Date(`${expected['Time']} UTC`).toISOString());
    });
  });
});
