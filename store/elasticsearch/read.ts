/**
 * The read side: search with cursors, histogram, top values, rule aggregations and get by id,
 * each one request (or a few pages) over the daily indices.
 */
import { contractValue } from '../values.ts';
import type { estypes } from '@elastic/elasticsearch';
import { FaultlineError } from '../../core/errors.ts';
import { knownField, type FieldType } from '../../core/event/fields.ts';
import type { FaultlineEvent } from '../../core/event/types.ts';
import type {
  AggregateRequest,
  AggregateRow,
  HistogramRequest,
  HistogramResult,
  SearchRequest,
  SearchResult,
  TimeRange,
  TopValue,
  TopValuesRequest,
} from '../contract.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { compareValues } from '../match.ts';
import type { QueryNode } from '../query.ts';
import { compileQuery, filtered, queryFields, type Dsl } from './compile.ts';
import type { Connection } from './connection.ts';
import type { FieldTypes } from './field-types.ts';
import { searchHits } from './hits.ts';

const MAX_PAGE = 10_000;
const DEFAULT_TRACK_TOTAL = 10_000;
/** Elasticsearch's default `search.max_buckets`. */
const MAX_BUCKETS = 65_536;
/** Terms counted per shard (daily index) for top values: enough to be exact on common fields. */
const MIN_SHARD_SIZE = 10_000;
/** Top values of an ip field fetched at most, when ties must be ordered here. */
const MAX_TIE_FETCH = 50_000;
const COMPOSITE_PAGE = 1000;
const DISTINCT_PRECISION = 40_000;

const SEARCH_OPTIONS = {
  ignore_unavailable: true,
  allow_no_indices: true,
  // A query that fails on some daily indices must fail, not answer with part of the data.
  allow_partial_search_results: false,
} as const;

interface Bucket {
  key: string | number | boolean;
  key_as_string?: string;
  doc_count: number;
}

interface CompositeBucket {
  key: Record<string, string | number | boolean | null>;
  doc_count: number;
  distinct?: { value: number };
}

interface Aggregations {
  histogram?: { buckets: Bucket[] };
  top?: { buckets: Bucket[]; sum_other_doc_count?: number };
  rows?: { buckets: CompositeBucket[]; after_key?: Record<string, string | number | boolean | null> };
}

export class Reader {
  private readonly connection: Connection;
  private readonly fieldTypes: FieldTypes;

  constructor(connection: Connection, fieldTypes: FieldTypes) {
    this.connection = connection;
    this.fieldTypes = fieldTypes;
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    if (!Number.isInteger(request.size) || request.size < 1 || request.size > MAX_PAGE) {
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `size must be an integer from 1 to ${MAX_PAGE}, got ${request.size}`, { size: request.size });
    }
    const sort = request.sort ?? 'desc';
    const after = request.cursor ? decodeCursor(request.cursor, sort) : undefined;
    const trackTotal = request.trackTotal ?? DEFAULT_TRACK_TOTAL;
    const { client, names } = this.connection;
    const page = await searchHits(
      client,
      names.eventsPattern,
      { ...SEARCH_OPTIONS, filter_path: 'hits.total,hits.hits._source,hits.hits.sort' },
      {
        size: request.size,
        query: await this.filtered(request.query, request.range),
        sort: [{ '@timestamp': { order: sort } }, { 'event.id': { order: sort } }],
        ...(after ? { search_after: [after.ts, after.id] } : {}),
        track_total_hits: trackTotal,
      },
    );
    const events = page.hits.map((hit) => hit._source);
    const [ts, id] = page.hits[page.hits.length - 1]?.sort ?? [];
    const total = page.total;
    return {
      total:
        trackTotal === false || total === undefined
          ? { value: events.length, relation: 'gte' }
          : { value: total.value, relation: total.relation },
      events,
      cursor: events.length === request.size && typeof ts === 'number' && typeof id === 'string' ? encodeCursor({ sort, ts, id }) : null,
    };
  }

  async histogram(request: HistogramRequest): Promise<HistogramResult> {
    const interval = request.intervalMs;
    if (!Number.isInteger(interval) || interval < 1) {
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `intervalMs must be a positive integer, got ${interval}`, { intervalMs: interval });
    }
    const first = Math.floor(request.range.from / interval) * interval;
    if (first >= request.range.to) return { intervalMs: interval, buckets: [] };
    const last = first + Math.floor((request.range.to - 1 - first) / interval) * interval;
    const count = (last - first) / interval + 1;
    if (count > MAX_BUCKETS) {
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `the histogram would have ${count} buckets, more than ${MAX_BUCKETS}; use a wider interval`, {
        intervalMs: interval,
      });
    }
    const response = await this.run({
      size: 0,
      track_total_hits: false,
      query: await this.filtered(request.query, request.range),
      aggs: {
        histogram: {
          date_histogram: { field: '@timestamp', fixed_interval: `${interval}ms`, min_doc_count: 0, extended_bounds: { min: first, max: last } },
        },
      },
    });
    const buckets = (response.aggregations?.histogram?.buckets ?? []).map((bucket) => ({ ts: Number(bucket.key), count: bucket.doc_count }));
    return { intervalMs: interval, buckets };
  }

  async topValues(request: TopValuesRequest): Promise<TopValue[]> {
    const typeOf = await this.fieldTypes.resolver([...queryFields(request.query), request.field]);
    const type = aggregatable(request.field, typeOf(request.field), 'top values');
    if (!Number.isInteger(request.size) || request.size < 1) {
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `size must be a positive integer, got ${request.size}`, { size: request.size });
    }
    const query = filtered(compileQuery(request.query, typeOf), request.range);
    // Elasticsearch orders ip keys by address, the contract by text: ties need every candidate here.
    const byText = type === 'ip';
    for (let size = request.size; ; size *= 4) {
      const response = await this.run({
        size: 0,
        track_total_hits: false,
        query,
        aggs: {
          top: {
            terms: {
              field: request.field,
              size,
              shard_size: Math.max(MIN_SHARD_SIZE, size * 2),
              order: [{ _count: 'desc' }, { _key: 'asc' }],
            },
          },
        },
      });
      const top = response.aggregations?.top;
      const values = (top?.buckets ?? []).map((bucket) => ({ value: bucketValue(bucket, type), count: bucket.doc_count }));
      const cut = values[request.size - 1]?.count;
      const complete =
        !byText ||
        size >= MAX_TIE_FETCH ||
        (top?.sum_other_doc_count ?? 0) === 0 ||
        values.length < size ||
        (values[values.length - 1]?.count ?? 0) < (cut ?? 0);
      if (complete) {
        if (byText) values.sort((a, b) => b.count - a.count || compareValues(a.value, b.value));
        return values.slice(0, request.size);
      }
    }
  }

  async aggregate(request: AggregateRequest): Promise<AggregateRow[]> {
    const window = request.windowMs;
    if (!Number.isInteger(window) || window < 1) {
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `windowMs must be a positive integer, got ${window}`, { windowMs: window });
    }
    const named = [...request.groupBy, ...(request.distinctField ? [request.distinctField] : [])];
    const typeOf = await this.fieldTypes.resolver([...queryFields(request.query), ...named]);
    const types = request.groupBy.map((field) => aggregatable(field, typeOf(field), 'groups'));
    if (request.distinctField) aggregatable(request.distinctField, typeOf(request.distinctField), 'distinct counts');
    const query = filtered(compileQuery(request.query, typeOf), request.range);
    const sources: Record<string, estypes.AggregationsCompositeAggregationSource>[] = [
      ...request.groupBy.map((field, i) => ({ [`g${i}`]: { terms: { field } } })),
      { window: { date_histogram: { field: '@timestamp', fixed_interval: `${window}ms` } } },
    ];
    const rows: AggregateRow[] = [];
    let after: Record<string, string | number | boolean | null> | undefined;
    do {
      const response = await this.run({
        size: 0,
        track_total_hits: false,
        query,
        aggs: {
          rows: {
            composite: { size: COMPOSITE_PAGE, sources, ...(after ? { after: after as estypes.AggregationsCompositeAggregateKey } : {}) },
            ...(request.distinctField
              ? { aggs: { distinct: { cardinality: { field: request.distinctField, precision_threshold: DISTINCT_PRECISION } } } }
              : {}),
          },
        },
      });
      const page = response.aggregations?.rows;
      for (const bucket of page?.buckets ?? []) {
        const group: Record<string, string | number | boolean> = {};
        request.groupBy.forEach((field, i) => {
          group[field] = contractValue(types[i] as FieldType, bucket.key[`g${i}`] ?? null);
        });
        const row: AggregateRow = { group, windowStart: Number(bucket.key['window']), count: bucket.doc_count };
        if (request.distinctField) row.distinct = bucket.distinct?.value ?? 0;
        rows.push(row);
      }
      after = page && page.buckets.length === COMPOSITE_PAGE ? page.after_key : undefined;
    } while (after);
    // Elasticsearch orders ip keys by address; the contract orders every group value as text or number.
    return rows.sort((a, b) => {
      for (const field of request.groupBy) {
        const c = compareValues(a.group[field] as string | number | boolean, b.group[field] as string | number | boolean);
        if (c !== 0) return c;
      }
      return a.windowStart - b.windowStart;
    });
  }

  async getEvent(id: string): Promise<FaultlineEvent | undefined> {
    const response = await this.run({ size: 1, track_total_hits: false, query: { ids: { values: [id] } } });
    return response.hits.hits[0]?._source as FaultlineEvent | undefined;
  }

  private async filtered(node: QueryNode, range: TimeRange): Promise<Dsl> {
    const typeOf = await this.fieldTypes.resolver(queryFields(node));
    return filtered(compileQuery(node, typeOf), range);
  }

  private async run(body: Omit<estypes.SearchRequest, 'index'>): Promise<estypes.SearchResponse<FaultlineEvent, Aggregations>> {
    return this.connection.client.search<FaultlineEvent, Aggregations>({ index: this.connection.names.eventsPattern, ...SEARCH_OPTIONS, ...body });
  }
}

function aggregatable(field: string, type: FieldType, what: string): FieldType {
  if (knownField(field)?.searchable === false) {
    throw new FaultlineError('FL_ERR_QUERY_INVALID', `field '${field}' is stored but not indexed, so it cannot be queried or aggregated`, { field });
  }
  if (type === 'text' || type === 'geo_point') {
    // The embedded store's words, so both backends refuse alike.
    throw new FaultlineError('FL_ERR_QUERY_INVALID', `cannot take ${what} of ${type} field '${field}'; use a keyword, numeric, date, boolean or ip field`, { field, type });
  }
  return type;
}

/** A terms bucket's key as the contract's JSON value: dates as epoch ms, booleans as booleans. */
function bucketValue(bucket: Bucket, type: FieldType): string | number | boolean {
  if (type === 'boolean') return bucket.key_as_string === 'true' || bucket.key === true || bucket.key === 1;
  return contractValue(type, bucket.key);
}

