/**
 * Time expressions for ranges and the `from`/`to` parameters: ISO 8601 (`2026-11-23`,
 * `2026-11-23T12:00:00Z`; no zone means UTC), epoch milliseconds, and date math relative to now as
 * Elasticsearch writes it: `now`, `now-15m`, `now+1h`, `now-7d/d` (rounded down to the day, UTC).
 */
import { FaultlineError } from '../../core/errors.ts';
import { caretLines } from './errors.ts';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DATE_MATH = /^now((?:[+-]\d+[smhHdwMy])*)(?:\/([smhHdwMy]))?$/;
const STEP = /([+-])(\d+)([smhHdwMy])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

export interface TimeContext {
  /** For errors inside a query: the query text and where the time expression starts. */
  query?: string;
  position?: number;
  /** For errors in a parameter: its name (`from`, `to`). */
  parameter?: string;
}

/** Epoch milliseconds of a time expression; a FaultlineError that says what is accepted otherwise. */
export function parseTime(text: string, now: number, context: TimeContext = {}): number {
  const trimmed = text.trim();
  if (/^\d{1,16}$/.test(trimmed)) return Number(trimmed);
  const math = DATE_MATH.exec(trimmed);
  if (math) {
    let at = new Date(now);
    for (const [, sign, amount, unit] of (math[1] ?? '').matchAll(STEP)) at = shift(at, (sign === '-' ? -1 : 1) * Number(amount), unit as string);
    return math[2] ? roundDown(at, math[2]).getTime() : at.getTime();
  }
  if (ISO_DATE.test(trimmed)) {
    const value = Date.parse(`${trimmed}T00:00:00Z`);
    if (!Number.isNaN(value)) return value;
  }
  if (ISO_DATE_TIME.test(trimmed)) {
    const normalized = trimmed.replace(' ', 'T');
    const value = Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/.test(normalized) ? normalized : `${normalized}Z`);
    if (!Number.isNaN(value)) return value;
  }
  const accepted = 'an ISO 8601 time (2026-11-23T12:00:00Z), epoch milliseconds, or now with an offset (now-15m, now-7d/d)';
  const where = context.parameter ? `${context.parameter}: ` : context.position !== undefined ? `at position ${context.position}: ` : '';
  throw new FaultlineError('FL_ERR_TIME_INVALID', `invalid time ${where}'${text}' is not ${accepted}`, {
    ...(context.parameter ? { parameter: context.parameter } : {}),
    ...(context.query !== undefined && context.position !== undefined
      ? { position: context.position, query: context.query, caret: caretLines(context.query, context.position) }
      : {}),
  });
}

function shift(date: Date, amount: number, unit: string): Date {
  const next = new Date(date.getTime());
  if (unit === 'M') next.setUTCMonth(next.getUTCMonth() + amount);
  else if (unit === 'y') next.setUTCFullYear(next.getUTCFullYear() + amount);
  else next.setTime(next.getTime() + amount * (UNITS[unit] as number));
  return next;
}

function roundDown(date: Date, unit: string): Date {
  const d = new Date(date.getTime());
  switch (unit) {
    case 'y':
      return new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
    case 'M':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    case 'w': {
      // ISO weeks start on Monday.
      const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
    }
    default: {
      const size = UNITS[unit] as number;
      return new Date(Math.floor(d.getTime() / size) * size);
    }
  }
}
