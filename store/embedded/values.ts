/**
 * Query values read the way the field's type reads them: numbers for numeric fields, instants for
 * dates, addresses for ip fields. A value the type cannot hold matches nothing (undefined here),
 * as in the reference evaluator and the Elasticsearch backend, rather than failing the search.
 */
import { KEYWORD_IGNORE_ABOVE } from '../../core/event/fields.ts';
import { ipKey } from '../ip.ts';

type Value = string | number | boolean;

/** The string a keyword comparison uses: numbers and booleans as Elasticsearch coerces them. */
export function keywordOf(value: Value): string {
  return String(value);
}

/** Elasticsearch's `ignore_above` counts UTF-16 code units, as JavaScript's `length` does. */
export function isIndexedKeyword(value: string): boolean {
  return value.length <= KEYWORD_IGNORE_ABOVE;
}

export function numberOf(value: Value): number | undefined {
  if (typeof value === 'boolean' || (typeof value === 'string' && value.trim() === '')) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** 1 for true, 0 for false, as the SQL side reads JSON booleans. */
export function booleanOf(value: Value): 0 | 1 | undefined {
  const text = String(value);
  return text === 'true' ? 1 : text === 'false' ? 0 : undefined;
}

/** Epoch milliseconds: numbers as they are, strings as Date.parse reads them (ISO 8601). */
export function instantOf(value: Value): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function ipKeyOf(value: Value): string | undefined {
  return typeof value === 'string' ? ipKey(value) : undefined;
}
