/**
 * `level`: normalizes a level word (`WARN`, `Err`, `fatal`, `I`) or a numeric severity into
 * `log.level` (trace, debug, info, notice, warning, error, critical, alert, emergency) and
 * `event.severity` (the syslog code, 0 emergency .. 7 debug; trace shares 7 with debug).
 */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing, sourceOptions, typeName } from './field-options.ts';

export const levels = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug', 'trace'] as const;
export type Level = (typeof levels)[number];

const severity: Record<Level, number> = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7, trace: 7 };

/** Lower-case words and abbreviations seen in the field (syslog, log4j, Python, Go, Android, .NET, glog). */
const words: Record<string, Level> = {
  emerg: 'emergency', emergency: 'emergency', panic: 'emergency',
  alert: 'alert', a: 'alert',
  crit: 'critical', critical: 'critical', fatal: 'critical', f: 'critical', severe: 'critical', dpanic: 'critical',
  err: 'error', error: 'error', e: 'error', eror: 'error', fail: 'error', failure: 'error',
  warn: 'warning', warning: 'warning', w: 'warning', wrn: 'warning',
  notice: 'notice', n: 'notice',
  info: 'info', information: 'info', informational: 'info', i: 'info', inf: 'info',
  debug: 'debug', d: 'debug', dbg: 'debug', fine: 'debug', config: 'debug', verbose: 'debug', v: 'debug',
  trace: 'trace', t: 'trace', trc: 'trace', finer: 'trace', finest: 'trace', all: 'trace',
};

const syslogCodes: readonly Level[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

/** Numeric scales: syslog severity codes, or the 10/20/30... of Python logging and pino/bunyan. */
const scales = {
  syslog: (code: number): Level | undefined => (Number.isInteger(code) ? syslogCodes[code] : undefined),
  python: (code: number): Level | undefined =>
    code >= 50 ? 'critical' : code >= 40 ? 'error' : code >= 30 ? 'warning' : code >= 20 ? 'info' : code >= 10 ? 'debug' : code >= 1 ? 'trace' : undefined,
  pino: (code: number): Level | undefined =>
    code >= 60 ? 'critical' : code >= 50 ? 'error' : code >= 40 ? 'warning' : code >= 30 ? 'info' : code >= 20 ? 'debug' : code >= 10 ? 'trace' : undefined,
};

/** The normalized level of a word or number, or undefined. */
export function normalizeLevel(value: string | number, scale: keyof typeof scales = 'syslog'): Level | undefined {
  if (typeof value === 'number') return scales[scale](value);
  const text = value.trim();
  if (/^\d+$/.test(text)) return scales[scale](Number(text));
  return words[text.toLowerCase()];
}

export const level = defineProcessor({
  description: 'Normalizes a level word or numeric severity into log.level and event.severity.',
  schema: z.strictObject({
    ...sourceOptions('log.level'),
    target_field: fieldName.default('log.level'),
    severity_field: fieldName.default('event.severity'),
    numeric_scale: z.enum(['syslog', 'python', 'pino']).default('syslog'),
  }),
  compile(options) {
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field);
    const severityTarget = fieldPath(options.severity_field);
    const { ignore_missing: ignoreMissing, numeric_scale: scale } = options;
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return ignoreMissing ? undefined : missing(options.field);
      if (typeof value !== 'string' && typeof value !== 'number') return `field '${options.field}' is ${typeName(value)}, not a level`;
      const normalized = normalizeLevel(value, scale);
      if (normalized === undefined) return `unknown level ${JSON.stringify(value)}; known: ${levels.join(', ')} and their usual spellings`;
      target.set(event, normalized);
      severityTarget.set(event, severity[normalized]);
      return undefined;
    };
  },
});
