/**
 * A reference implementation of the store's read semantics over events in memory: slow, obvious,
 * and written from the header of store/query.ts. The contract suite checks every backend's answers
 * against it, so both stores agree with each other and with the documented semantics.
 */
import { dynamicType, knownField, type FieldType } from '../../core/event/fields.ts';
import { getField, leafFields, type FaultlineEvent, type JsonValue } from '../../core/event/types.ts';
import type { AggregateRequest, AggregateRow, FieldInfo, HistogramRequest, HistogramResult, SearchRequest, SearchResult, TopValue, TopValuesRequest } from '../contract.ts';
import { compareSortKeys, decodeCursor, encodeCursor, sortKeyOf } from '../cursor.ts';
import { compareValues, hasValue, indexable, matchesQuery, valuesOf } from '../match.ts';
import type { QueryNode } from '../query.ts';

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
    return matchesQuery(event, node, (field) => this.typeOf(field));
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

  /** Every combination of the group fields' indexed values (dates as epoch ms); none when a field is missing. */
  private groupsOf(event: FaultlineEvent, groupBy: readonly string[]): Record<string, string | number | boolean>[] {
    let groups: Record<string, string | number | boolean>[] = [{}];
    for (const field of groupBy) {
      const type = this.typeOf(field);
      const values = valuesOf(event, field)
        .filter((value): value is string | number | boolean => typeof value !== 'object' && indexable(type, value))
        .map((value) => (type === 'date' ? Date.parse(String(value)) : value));
      groups = groups.flatMap((group) => [...new Set(values)].map((value) => ({ ...group, [field]: value })));
    }
    return groups;
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
      .sort((a, b) => b.count - a.count || compareValues(a.value as string | number, b.value as string | number))
      .slice(0, request.size);
  }

  aggregate(request: AggregateRequest): AggregateRow[] {
    const rows = new Map<string, { row: AggregateRow; distinct: Set<string> }>();
    for (const event of this.select(request.query, request.range)) {
      const windowStart = Math.floor(Date.parse(event['@timestamp']) / request.windowMs) * request.windowMs;
      // An array field puts the event in one group per element, as Elasticsearch's composite aggregation does.
      for (const group of this.groupsOf(event, request.groupBy)) {
        const key = JSON.stringify([request.groupBy.map((field) => group[field]), windowStart]);
        const entry = rows.get(key) ?? { row: { group, windowStart, count: 0 }, distinct: new Set<string>() };
        entry.row.count++;
        if (request.distinctField) for (const value of valuesOf(event, request.distinctField)) entry.distinct.add(JSON.stringify(value));
        rows.set(key, entry);
      }
    }
    return [...rows.values()]
      .map(({ row, distinct }) => (request.distinctField ? { ...row, distinct: distinct.size } : row))
      .sort((a, b) => {
        for (const field of request.groupBy) {
          const c = compareValues(a.group[field] as string | number, b.group[field] as string | number);
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
