/**
 * Ordered scan of a time range, oldest first, a page at a time: constant memory however many
 * events match. Used by exports and rule backtests; works on any Store.
 */
import type { FaultlineEvent } from '../core/event/types.ts';
import type { Store, TimeRange } from './contract.ts';
import type { QueryNode } from './query.ts';

export interface ScanOptions {
  query: QueryNode;
  range: TimeRange;
  /** Events fetched per round trip. */
  pageSize?: number;
  sort?: 'asc' | 'desc';
}

export async function* scan(store: Store, options: ScanOptions): AsyncGenerator<FaultlineEvent> {
  const size = options.pageSize ?? 1000;
  let cursor: string | null = null;
  do {
    const page = await store.search({
      query: options.query,
      range: options.range,
      size,
      sort: options.sort ?? 'asc',
      cursor,
      trackTotal: false,
    });
    yield* page.events;
    cursor = page.events.length < size ? null : page.cursor;
  } while (cursor !== null);
}
