/**
 * A reference implementation of the store's read semantics over events in memory: slow, obvious,
 * and written from the header of store/query.ts. The contract suite checks every backend's answers
 * against it, so both stores agree with each other and with the documented semantics.
 */
import { KEYWORD_IGNORE_ABOVE, dynamicType, knownField, type FieldType } from '../../core/event/fields.ts';
import { getField, isPlainObject, leafFields, type FaultlineEvent, type JsonValue } from '../../core/event/types.ts';
import type { AggregateRequest, AggregateRow, FieldInfo, HistogramRequest, HistogramResult, SearchRequest, SearchResult, TopValue, TopValuesRequest } from '../contract.ts';
import { compareSortKeys, decodeCursor, encodeCursor, sortKeyOf } from '../cursor.ts';
import { parsePattern, targetField, type QueryNode, type RangeValue } from '../query.ts';
import { tokenize } from '../text.ts';

export class ReferenceStore {
  readonly events: FaultlineEvent[] = [];
  private readonly types = new Map<string, FieldType>();
  private readonly ids = new Set<string>();

  add(events: readonly FaultlineEvent[]): void {
    for (const event of events) {
      if (this.ids.has(event.event.id)) continue;
      this.ids.add(event.event.id);
      this.events.push(event);
      for (const [name, value] of fieldsOf(event)) {
        if (!this.types.has(name) && hasValue(value)) {
          const type = knownField(name)?.type ?? dynamicType(name, Array.isArray(value) ? value.find((item) => item !== null) : value);
          if (type) this.types.set(name, type);
        }
      }
    }
  }

  typeOf(field: string): FieldType {
    return knownField(field)?.type ?? this.types.get(field) ?? 'keyword';
  }

  matches(event: FaultlineEvent, node: QueryNode): boolean {
    switch (node.kind) {
      case 'all':
        return true;
      case 'and':
        return node.clauses.every((clause) => this.matches(event, clause));
      case 'or':
        return node.clauses.some((clause) => this.matches(event, clause));
      case 'not':
        return !this.matches(event, node.clause);
      case 'exists':
        return hasValue(getField(event, node.field));
      case 'term':
      case 'phrase': {
        const field = targetField(node.field);
        const type = this.typeOf(field);
        if (type === 'text') {
          const wanted = tokenize(String(node.value));
          if (wanted.length === 0) return false;
          return valuesOf(event, field).some((value) => {
            const tokens = tokenize(String(value));
            return node.kind === 'term' ? wanted.every((token) => tokens.includes(token)) : containsRun(tokens, wanted);
          });
        }
        return valuesOf(event, field).some((value) => indexable(type, value) && equalsTyped(type, value, node.value));
      }
      case 'wildcard': {
        const field = targetField(node.field);
        const type = this.typeOf(field);
        if (type === 'text') {
          const regex = patternRegex(node.pattern.toLowerCase());
          return valuesOf(event, field).some((value) => tokenize(String(value)).some((token) => regex.test(token)));
        }
        const regex = patternRegex(node.pattern);
        return valuesOf(event, field).some((value) => indexable(type, value) && regex.test(String(value)));
      }
      case 'range': {
        const type = this.typeOf(node.field);
        return valuesOf(event, node.field).some((value) => {
          if (!indexable(type, value)) return false;
          const v = comparable(type, value);
          const check = (bound: RangeValue | undefined, test: (c: number) => boolean) =>
            bound === undefined || test(compareComparable(v, comparable(type, bound)));
          return check(node.gt, (c) => c > 0) && check(node.gte, (c) => c >= 0) && check(node.lt, (c) => c < 0) && check(node.lte, (c) => c <= 0);
        });
      }
      default: {
        const unknown: never = node;
        throw new Error(`unknown query node ${JSON.stringify(unknown)}`);
      }
    }
  }

  private select(query: QueryNode, range: { from: number; to: number }): FaultlineEvent[] {
    return this.events.filter((event) => {
      const ts = Date.parse(event['@timestamp']);
      return ts >= range.from && ts < range.to && this.matches(event, query);
    });
  }

  search(request: SearchRequest): SearchResult {
    const sort = request.sort ?? 'desc';
    const direction = sort === 'asc' ? 1 : -1;
    const hits = this.select(request.query, request.range).sort((a, b) => direction * compareSortKeys(sortKeyOf(a), sortKeyOf(b)));
    const after = request.cursor ? decodeCursor(request.cursor, sort) : undefined;
    const remaining = after ? hits.filter((event) => direction * compareSortKeys(sortKeyOf(event), after) > 0) : hits;
    const events = remaining.slice(0, request.size);
    const limit = request.trackTotal ?? 10000;
    const total =
      limit === false
        ? { value: events.length, relation: 'gte' as const }
        : hits.length > limit
          ? { value: limit, relation: 'gte' as const }
          : { value: hits.length, relation: 'eq' as const };
    const last = events[events.length - 1];
    return { total, events, cursor: last && events.length === request.size ? encodeCursor({ ...sortKeyOf(last), sort }) : null };
  }

  histogram(request: HistogramRequest): HistogramResult {
    const interval = request.intervalMs;
    const first = Math.floor(request.range.from / interval) * interval;
    const counts = new Map<number, number>();
    for (let ts = first; ts < request.range.to; ts += interval) counts.set(ts, 0);
    for (const event of this.select(request.query, request.range)) {
      const bucket = Math.floor(Date.parse(event['@timestamp']) / interval) * interval;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    return { intervalMs: interval, buckets: [...counts].map(([ts, count]) => ({ ts, count })) };
  }

  fields(): FieldInfo[] {
    return [...this.types].map(([name, type]) => ({ name, type })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  topValues(request: TopValuesRequest): TopValue[] {
    const type = this.typeOf(request.field);
    const counts = new Map<string, { value: string | number | boolean; count: number }>();
    for (const event of this.select(request.query, request.range)) {
      for (const value of valuesOf(event, request.field)) {
        if (!indexable(type, value)) continue;
        const typed = type === 'date' ? Date.parse(String(value)) : (value as string | number | boolean);
        const key = JSON.stringify(typed);
        const entry = counts.get(key) ?? { value: typed, count: 0 };
        entry.count++;
        counts.set(key, entry);
      }
    }
    return [...counts.values()]
      .sort((a, b) => b.count - a.count || compareComparable(a.value as string | number, b.value as string | number))
      .slice(0, request.size);
  }

  aggregate(request: AggregateRequest): AggregateRow[] {
    const rows = new Map<string, { row: AggregateRow; distinct: Set<string> }>();
    for (const event of this.select(request.query, request.range)) {
      const group: Record<string, string | number | boolean> = {};
      let complete = true;
      for (const field of request.groupBy) {
        const value = getField(event, field);
        if (value === null || value === undefined || typeof value === 'object') complete = false;
        else group[field] = value;
      }
      if (!complete) continue;
      const windowStart = Math.floor(Date.parse(event['@timestamp']) / request.windowMs) * request.windowMs;
      const key = JSON.stringify([request.groupBy.map((field) => group[field]), windowStart]);
      const entry = rows.get(key) ?? { row: { group, windowStart, count: 0 }, distinct: new Set<string>() };
      entry.row.count++;
      if (request.distinctField) for (const value of valuesOf(event, request.distinctField)) entry.distinct.add(JSON.stringify(value));
      rows.set(key, entry);
    }
    return [...rows.values()]
      .map(({ row, distinct }) => (request.distinctField ? { ...row, distinct: distinct.size } : row))
      .sort((a, b) => {
        for (const field of request.groupBy) {
          const c = compareComparable(a.group[field] as string | number, b.group[field] as string | number);
          if (c !== 0) return c;
        }
        return a.windowStart - b.windowStart;
      });
  }
}

/** Leaf fields of an event, treating flattened and geo_point fields as single fields. */
function* fieldsOf(event: FaultlineEvent): Generator<[string, JsonValue]> {
  for (const [name, value] of leafFields(event)) {
    const parent = [...enclosing(name)].find((path) => {
      const type = knownField(path)?.type;
      return type === 'flattened' || type === 'geo_point';
    });
    if (parent) yield [parent, getField(event, parent) ?? null];
    else yield [name, value];
  }
}

function* enclosing(name: string): Generator<string> {
  const parts = name.split('.');
  for (let i = 1; i <= parts.length; i++) yield parts.slice(0, i).join('.');
}

function hasValue(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => item !== null);
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

function valuesOf(event: FaultlineEvent, field: string): JsonValue[] {
  const value = getField(event, field);
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== null);
}

function indexable(type: FieldType, value: JsonValue): boolean {
  return type !== 'keyword' || String(value).length <= KEYWORD_IGNORE_ABOVE;
}

function equalsTyped(type: FieldType, stored: JsonValue, wanted: string | number | boolean): boolean {
  switch (type) {
    case 'long':
    case 'double':
      return Number(stored) === Number(wanted);
    case 'date':
      return Date.parse(String(stored)) === (typeof wanted === 'number' ? wanted : Date.parse(String(wanted)));
    case 'boolean':
      return String(stored) === String(wanted);
    default:
      return String(stored) === String(wanted);
  }
}

function comparable(type: FieldType, value: JsonValue): string | number {
  if (type === 'long' || type === 'double') return Number(value);
  if (type === 'date') return typeof value === 'number' ? value : Date.parse(String(value));
  return String(value);
}

/** Numbers numerically, strings by UTF-8 bytes (as both Elasticsearch and SQLite compare them). */
function compareComparable(a: string | number, b: string | number): number {
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
