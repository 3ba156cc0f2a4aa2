/**
 * SQL functions the compiled queries call, where SQLite has no built-in that reads values the way
 * the rest of Faultline does (ISO dates with offsets, ip addresses, store/text.ts tokens).
 */
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { parseIsoDate } from '../../core/event/validate.ts';
import { parsePattern } from '../query.ts';
import { tokenize } from '../text.ts';
import { ipKey } from '../ip.ts';

const MAX_CACHED_PATTERNS = 256;

/** A whole-string regular expression for a wildcard pattern (`*` any run, `?` one character). */
export function wildcardRegExp(pattern: string): RegExp {
  const source = parsePattern(pattern)
    .map((part) => ('literal' in part ? part.literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : 'any' in part ? '.*' : '.'))
    .join('');
  return new RegExp(`^${source}$`, 'su');
}

/** The GLOB pattern (case-sensitive, whole value) for a wildcard pattern; GLOB's own specials become literal. */
export function wildcardGlob(pattern: string): string {
  return parsePattern(pattern)
    .map((part) => ('literal' in part ? part.literal.replace(/[*?[]/g, '[$&]') : 'any' in part ? '*' : '?'))
    .join('');
}

export function registerFunctions(db: DatabaseSync): void {
  const options = { deterministic: true };
  db.function('fl_date_ms', options, (value: SQLOutputValue) => {
    if (typeof value !== 'string') return null;
    const ms = parseIsoDate(value);
    return Number.isNaN(ms) ? null : ms;
  });
  db.function('fl_ip_key', options, (value: SQLOutputValue) => (typeof value === 'string' ? (ipKey(value) ?? null) : null));
  db.function('fl_len16', options, (value: SQLOutputValue) => (typeof value === 'string' ? value.length : null));

  const patterns = new Map<string, RegExp>();
  db.function('fl_token_match', options, (value: SQLOutputValue, pattern: SQLOutputValue) => {
    if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
    let regExp = patterns.get(pattern);
    if (!regExp) {
      if (patterns.size >= MAX_CACHED_PATTERNS) patterns.clear();
      regExp = wildcardRegExp(pattern);
      patterns.set(pattern, regExp);
    }
    const matcher = regExp;
    return tokenize(value).some((token) => matcher.test(token)) ? 1 : 0;
  });
}
