/**
 * Evaluates a query against one event in memory, with exactly the semantics of store/query.ts:
 * for live tail and live correlation rules, and as the contract suite's reference. `typeOf` gives
 * a field's type (catalogue first, then what the store has seen).
 */
import { KEYWORD_IGNORE_ABOVE, type FieldType } from '../core/event/fields.ts';
import { getField, isPlainObject, type FaultlineEvent, type JsonValue } from '../core/event/types.ts';
import { ipKey } from './ip.ts';
import { parsePattern, targetField, type QueryNode, type RangeValue } from './query.ts';
import { tokenize } from './text.ts';

export type FieldTypeOf = (field: string) => FieldType;

export function matchesQuery(event: FaultlineEvent, node: QueryNode, typeOf: FieldTypeOf): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and':
      return node.clauses.every((clause) => matchesQuery(event, clause, typeOf));
    case 'or':
      return node.clauses.some((clause) => matchesQuery(event, clause, typeOf));
    case 'not':
      return !matchesQuery(event, node.clause, typeOf);
    case 'exists':
      return hasValue(getField(event, node.field));
    case 'term':
    case 'phrase': {
      const field = targetField(node.field);
      const type = typeOf(field);
      if (type === 'text') {
        const wanted = tokenize(String(node.value));
        if (wanted.length === 0) return false;
        const values = valuesOf(event, field);
        // Elements of an array are one field to a term (words may come from different elements), but a
        // phrase never spans two elements (Elasticsearch leaves a position gap between them).
        if (node.kind === 'term') {
          const tokens = new Set(values.flatMap((value) => tokenize(String(value))));
          return wanted.every((token) => tokens.has(token));
        }
        return values.some((value) => containsRun(tokenize(String(value)), wanted));
      }
      return valuesOf(event, field).some((value) => indexable(type, value) && equalsTyped(type, value, node.value));
    }
    case 'wildcard': {
      const field = targetField(node.field);
      const type = typeOf(field);
      if (type === 'text') {
        const regex = patternRegex(node.pattern.toLowerCase());
        return valuesOf(event, field).some((value) => tokenize(String(value)).some((token) => regex.test(token)));
      }
      const regex = patternRegex(node.pattern);
      return valuesOf(event, field).some((value) => indexable(type, value) && regex.test(String(value)));
    }
    case 'range': {
      const type = typeOf(node.field);
      return valuesOf(event, node.field).some((value) => {
        if (!indexable(type, value)) return false;
        const v = comparable(type, value);
        const check = (bound: RangeValue | undefined, test: (c: number) => boolean) => bound === undefined || test(compareValues(v, comparable(type, bound)));
        return check(node.gt, (c) => c > 0) && check(node.gte, (c) => c >= 0) && check(node.lt, (c) => c < 0) && check(node.lte, (c) => c <= 0);
      });
    }
    default: {
      const unknown: never = node;
      throw new Error(`unknown query node ${JSON.stringify(unknown)}`);
    }
  }
}

/** A value that counts as present: not null, not an empty array or object. */
export function hasValue(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => item !== null);
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** The non-null values of a field: an array's elements, or the value itself. */
export function valuesOf(event: FaultlineEvent, field: string): JsonValue[] {
  const value = getField(event, field);
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== null);
}

/** Keyword values over the limit are stored but not indexed. */
export function indexable(type: FieldType, value: JsonValue): boolean {
  return type !== 'keyword' || String(value).length <= KEYWORD_IGNORE_ABOVE;
}

function equalsTyped(type: FieldType, stored: JsonValue, wanted: string | number | boolean): boolean {
  switch (type) {
    case 'long':
    case 'double':
      return Number(stored) === Number(wanted);
    case 'date':
      return Date.parse(String(stored)) === (typeof wanted === 'number' ? wanted : Date.parse(String(wanted)));
    case 'ip':
      return ipKey(String(stored)) === ipKey(String(wanted));
    default:
      return String(stored) === String(wanted);
  }
}

function comparable(type: FieldType, value: JsonValue): string | number {
  if (type === 'long' || type === 'double') return Number(value);
  if (type === 'date') return typeof value === 'number' ? value : Date.parse(String(value));
  // Addresses compare in address order: their keys are fixed-width hex.
  if (type === 'ip') return ipKey(String(value)) ?? String(value);
  return String(value);
}

/** Numbers numerically, strings by UTF-8 bytes (as both Elasticsearch and SQLite compare them). */
export function compareValues(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

function containsRun(tokens: string[], run: string[]): boolean {
  outer: for (let i = 0; i + run.length <= tokens.length; i++) {
    for (let j = 0; j < run.length; j++) if (tokens[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

function patternRegex(pattern: string): RegExp {
  const source = parsePattern(pattern)
    .map((part) => ('literal' in part ? part.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : 'any' in part ? '[\\s\\S]*' : '[\\s\\S]'))
    .join('');
  return new RegExp(`^${source}$`, 'u');
}
