/**
 * The store contract (DESIGN.md section 3): what every backend does. The embedded backend
 * (store/embedded/) and the Elasticsearch backend (store/elasticsearch/) implement it, and one
 * contract suite (store/contract.test.ts) runs against both.
 */
import type { FaultlineEvent, JsonObject, JsonValue } from '../core/event/types.ts';
import type { FieldType } from '../core/event/fields.ts';
import type { QueryNode } from './query.ts';

/** A half-open interval of epoch milliseconds: from <= @timestamp < to. */
export interface TimeRange {
  from: number;
  to: number;
}

export type SortOrder = 'desc' | 'asc';

/**
 * A store's answer for one event of a write, in the order the events were given. A stored or
 * duplicate event's answer is its status alone (the event is known by its place), and stores answer
 * with the shared STORED and DUPLICATE: a write makes no object per event. A rejection says why,
 * and the id under which the event went to the dead letters.
 */
export type WriteOutcome = typeof STORED | typeof DUPLICATE | { readonly id: string; readonly status: 'rejected'; readonly reason: string };

export const STORED: { readonly status: 'stored' } = Object.freeze({ status: 'stored' });
export const DUPLICATE: { readonly status: 'duplicate' } = Object.freeze({ status: 'duplicate' });

export interface SearchRequest {
  query: QueryNode;
  range: TimeRange;
  /** Events per page, 1..10000. */
  size: number;
  /** Newest first by default; ties are broken by `event.id` in the same direction. */
  sort?: SortOrder;
  /** The `cursor` of the previous page. */
  cursor?: string | null;
  /** Count exactly up to this many hits, then answer a lower bound (default 10000); false skips counting. */
  trackTotal?: number | false;
}

export interface Total {
  value: number;
  relation: 'eq' | 'gte';
}

export interface SearchResult<T = FaultlineEvent> {
  total: Total;
  events: T[];
  /** Pass back for the next page; null when this page was the last. */
  cursor: string | null;
}

export interface HistogramRequest {
  query: QueryNode;
  range: TimeRange;
  /** Bucket width; buckets are aligned to multiples of it since the epoch. */
  intervalMs: number;
}

export interface HistogramResult {
  intervalMs: number;
  /** Every bucket that overlaps the range, empty ones included, oldest first. */
  buckets: { ts: number; count: number }[];
}

export interface FieldInfo {
  name: string;
  type: FieldType;
}

export interface TopValuesRequest {
  field: string;
  query: QueryNode;
  range: TimeRange;
  size: number;
}

export interface TopValue {
  /** As JSON: keyword and ip values as strings, numbers as numbers, booleans as booleans, dates as epoch ms. */
  value: string | number | boolean;
  count: number;
}

/** Counts (and optionally distinct counts) per group per window: what correlation rules push down. */
export interface AggregateRequest {
  query: QueryNode;
  range: TimeRange;
  /** Events lacking any of these fields are left out. */
  groupBy: string[];
  /** Tumbling windows aligned to multiples of this since the epoch. */
  windowMs: number;
  distinctField?: string;
}

export interface AggregateRow {
  group: Record<string, string | number | boolean>;
  windowStart: number;
  count: number;
  /** Distinct values of `distinctField` in the group and window. */
  distinct?: number;
}

export interface StoreHealth {
  backend: StoreBackendName;
  status: 'ok' | 'unavailable';
  detail: string;
}

export type StoreBackendName = 'embedded' | 'elasticsearch';

/**
 * Small JSON documents that must outlive a restart: incidents, alerts, rule state, checkpoints,
 * dead letters. Grouped by `kind`; `id` is unique within a kind.
 */
export interface DocumentStore {
  put(kind: string, id: string, doc: JsonObject): Promise<void>;
  get(kind: string, id: string): Promise<JsonObject | undefined>;
  /** Documents of a kind in id order, `limit` at a time after `afterId`. */
  list(kind: string, options?: { limit?: number; afterId?: string }): Promise<{ id: string; doc: JsonObject }[]>;
  delete(kind: string, id: string): Promise<boolean>;
}

/** The document kind under which rejected events wait, with their reason, to be listed and replayed. */
export const DEAD_LETTER_KIND = 'dead_letter';

export interface DeadLetter extends JsonObject {
  reason: string;
  at: string;
  /** The event as it was offered to the store. */
  event: JsonValue;
}

export interface Store {
  readonly backend: StoreBackendName;
  /**
   * Idempotent on `event.id`: one outcome per event, in input order. Rejected events also go to the
   * dead letters. `events` is iterated once, wholly, before the returned promise settles: delivery
   * passes an iterable that makes each event from its record as it is taken, so that a store which
   * serializes as it goes (Elasticsearch; the embedded store a chunk at a time) never has a whole
   * batch's events alive at once.
   */
  write(events: Iterable<JsonObject>): Promise<WriteOutcome[]>;
  /** Makes every acknowledged write visible to searches (a no-op where writes are visible at once). */
  refresh(): Promise<void>;
  search(request: SearchRequest): Promise<SearchResult>;
  /**
   * `search` with each event as its stored JSON text, for a store that keeps that text: an export
   * streams it as it is, without parsing and serializing every event again. Optional.
   */
  searchText?(request: SearchRequest): Promise<SearchResult<string>>;
  histogram(request: HistogramRequest): Promise<HistogramResult>;
  /** Fields that hold a value in at least one stored event, sorted by name. */
  fields(): Promise<FieldInfo[]>;
  /** Most frequent values first; ties by value ascending. */
  topValues(request: TopValuesRequest): Promise<TopValue[]>;
  getEvent(id: string): Promise<FaultlineEvent | undefined>;
  /** Sorted by group (field values in `groupBy` order) then window. */
  aggregate(request: AggregateRequest): Promise<AggregateRow[]>;
  /** Deletes events older than the cutoff (Elasticsearch: whole expired daily indices). Returns what was removed. */
  deleteBefore(cutoff: number): Promise<{ removed: string[] }>;
  readonly documents: DocumentStore;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
