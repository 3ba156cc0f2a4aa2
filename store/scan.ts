/**
 * Ordered scan of a time range, oldest first, a page at a time: constant memory however many
 * events match. Used by exports and rule backtests; works on any Store.
 */
import type { FaultlineEvent } from '../core/event/types.ts';
import type { SearchRequest, SearchResult, Store, TimeRange } from './contract.ts';
import type { QueryNode } from './query.ts';

export interface ScanOptions {
  query: QueryNode;
  range: TimeRange;
  /** Events fetched per round trip. */
  pageSize?: number;
  sort?: 'asc' | 'desc';
}

export function scan(store: Store, options: ScanOptions): AsyncGenerator<FaultlineEvent> {
  return pages(options, (request) => store.search(request));
}

/** The events as JSON text, one line each without the newline: the stored text where the store keeps it. */
export function scanText(store: Store, options: ScanOptions): AsyncGenerator<string> {
  const search =
    store.searchText?.bind(store) ??
    (async (request: SearchRequest) => {
      const page = await store.search(request);
      return { ...page, events: page.events.map((event) => JSON.stringify(event)) };
    });
  return pages(options, search);
}

async function* pages<T>(options: ScanOptions, search: (request: SearchRequest) => Promise<SearchResult<T>>): AsyncGenerator<T> {
  const size = options.pageSize ?? 1000;
  let cursor: string | null = null;
  do {
    const page: SearchResult<T> = await search({
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
