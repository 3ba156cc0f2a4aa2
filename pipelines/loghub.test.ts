/**
 * Real logs: the loghub samples (../shared/data/loghub, see its README and LICENSE; Zhu et al.,
 * ISSRE 2023) through the BUILT-IN pipelines, every line checked against the collection's ground
 * truth with the README's column mapping: syslog for Linux and OpenSSH, apache-error for Apache,
 * log4j for Zookeeper. Every event must also pass the event catalogue's validation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../core/event/validate.ts';
import type { JsonObject } from '../core/event/types.ts';
import { getField } from '../core/event/types.ts';
import { loadConfiguredPipelines } from './index.ts';
import { normalizeLevel } from './processors/level.ts';
import { parseLine } from './processors/csv.ts';

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

// The samples carry no year: "now" is the end of 2005, so the year inferred for every line is 2005.
const pipelines = loadConfiguredPipelines(undefined, { now: () => Date.UTC(2005, 11, 31, 23, 0, 0), timingSampleRate: 1 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Expected {
  timestamp: string;
  message: string;
  'host.name'?: string;
  'process.name'?: string;
  'process.pid'?: number;
  'log.level'?: string;
  [field: string]: string | number | undefined;
}

/** Runs every line of a sample and compares the fields line by line; reports the first mismatches together. */
function check(pipelineId: string, logFile: string, expectations: Expected[]): void {
  const pipeline = pipelines.get(pipelineId);
  const before = pipeline.metrics();
  const lines = linesOf(logFile);
  expect(lines).toHaveLength(expectations.length);
  const mismatches: string[] = [];
  lines.forEach((line, index) => {
    const event = pipeline.run(line) as JsonObject;
    const expected = expectations[index] as Expected;
    const actual = (field: string) => getField(event, field);
    for (const [field, want] of Object.entries({ ...expected, timestamp: undefined, '@timestamp': expected.timestamp })) {
      if (field === 'timestamp') continue;
      if (actual(field) !== want) mismatches.push(`line ${index + 1}: ${field} is ${JSON.stringify(actual(field))}, expected ${JSON.stringify(want)}`);
    }
    if (event['tags'] !== undefined) mismatches.push(`line ${index + 1}: tags ${JSON.stringify(event['tags'])}`);
    const valid = validateEvent({ ...event, event: { ...(event['event'] as JsonObject), id: `line-${index}` } });
    if (!valid.ok) mismatches.push(`line ${index + 1}: invalid event: ${valid.reason}`);
  });
  expect(mismatches.slice(0, 10)).toEqual([]);
  const after = pipeline.metrics();
  expect({ processed: after.processed - before.processed, failed: after.failed - before.failed }).toEqual({ processed: lines.length, failed: 0 });
}

const iso = (year: number, month: string, day: string, time: string) =>
  `${year}-${String(MONTHS.indexOf(month) + 1).padStart(2, '0')}-${day.padStart(2, '0')}T${time}.000Z`;

describe('loghub samples through the built-in pipelines', () => {
  it('Linux (RFC 3164 without PRI) through syslog: timestamp, host, process, pid and message of every line', () => {
    check(
      'syslog',
      'Linux_2k.log',
      truthOf('Linux_2k.log_structured.csv').map((row) => ({
        timestamp: iso(2005, row['Month'] as string, row['Date'] as string, row['Time'] as string),
        message: (row['Content'] as string).trim(),
        'host.name': row['Level'],
        'process.name': row['Component'],
        'process.pid': row['PID'] === '' ? undefined : Number(row['PID']),
        'log.level': undefined,
      })),
    );
  });

  it('OpenSSH through syslog: the process is sshd on every line', () => {
    check(
      'syslog',
      'OpenSSH_2k.log',
      truthOf('OpenSSH_2k.log_structured.csv').map((row) => ({
        timestamp: iso(2005, row['Date'] as string, row['Day'] as string, row['Time'] as string),
        message: (row['Content'] as string).trim(),
        'host.name': row['Component'],
        'process.name': 'sshd',
        'process.pid': Number(row['Pid']),
        'log.level': undefined,
      })),
    );
  });

  it('Apache error log through apache-error: timestamp, normalized level and the whole message', () => {
    check(
      'apache-error',
      'Apache_2k.log',
      truthOf('Apache_2k.log_structured.csv').map((row) => ({
        timestamp: new Date(`${row['Time'] as string} UTC`).toISOString(),
        message: (row['Content'] as string).trim(),
        'log.level': normalizeLevel(row['Level'] as string),
      })),
    );
  });

  it('Zookeeper through log4j: timestamp, level, message, and thread, class and line as the raw line has them', () => {
    const raw = linesOf('Zookeeper_2k.log');
    check(
      'log4j',
      'Zookeeper_2k.log',
      truthOf('Zookeeper_2k.log_structured.csv').map((row, index) => {
        // The collection splits `[thread:Class@line]` at the first colon; the thread ends at the last one.
        const bracket = /\[(.*):([^:@\]]+)@(\d+)\] - /.exec(raw[index] as string) as RegExpExecArray;
        return {
          timestamp: `${row['Date'] as string}T${(row['Time'] as string).replace(',', '.')}Z`,
          message: (row['Content'] as string).trim(),
          'log.level': normalizeLevel(row['Level'] as string),
          'process.thread.name': bracket[1],
          'log.logger': bracket[2],
          'log.origin.file.line': Number(bracket[3]),
        };
      }),
    );
  });
});
