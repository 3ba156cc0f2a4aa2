/** Reads: pages and cursors, totals, histograms, top values and rule aggregations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultlineEvent, JsonObject } from '../../core/event/types.ts';
import type { SearchResult, Store } from '../contract.ts';
import { q } from '../query.ts';
import { openEmbeddedStore } from './index.ts';
import { ALL_TIME, at, T0, testEvents } from './test-events.ts';

let store: Store;
/** 300 events, three per second, so that pages cut through runs of equal timestamps. */
const many: JsonObject[] = Array.from({ length: 300 }, (_, i) => ({
  '@timestamp': new Date(T0 + 100_000 + Math.floor(i / 3) * 1000).toISOString(),
  event: { id: `m${String(i).padStart(3, '0')}` },
  message: i % 2 === 0 ? 'even event' : 'odd event',
  host: { name: `h${i % 4}` },
  tags: i % 10 === 0 ? ['ten', 'ten', 'x'] : ['x'],
  http: { response: { status_code: 200 + (i % 3) } },
}));
const MANY = { from: T0 + 100_000, to: T0 + 200_000 };
/** The handmade events only. */
const FEW = { from: ALL_TIME.from, to: T0 + 100_000 };

beforeAll(async () => {
  store = await openEmbeddedStore({ file: ':memory:' });
  await store.write(testEvents);
  await store.write(many);
});

afterAll(async () => {
  await store.close();
});

const ids = (events: FaultlineEvent[]) => events.map((event) => event.event.id);
const invalid = (message: RegExp) => expect.objectContaining({ code: 'FL_ERR_QUERY_INVALID', message: expect.stringMatching(message) });

describe('search', () => {
  it('sorts newest first, ties by event.id descending, and oldest first on request', async () => {
    const desc = await store.search({ query: q.all(), range: FEW, size: 3 });
    expect(ids(desc.events)).toEqual(['e8', 'e7', 'e6']);
    const asc = await store.search({ query: q.all(), range: MANY, size: 4, sort: 'asc' });
    expect(ids(asc.events)).toEqual(['m000', 'm001', 'm002', 'm003']);
  });

  it.each([
    ['asc', 'a word', q.term(null, 'even'), 2],
    ['desc', 'a word', q.term(null, 'even'), 2],
    ['asc', 'everything', q.all(), 1],
    ['desc', 'everything', q.all(), 1],
  ] as const)('pages through every hit exactly once (%s, %s), the total over the whole range on every page', async (sort, _title, query, step) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SearchResult = await store.search({ query, range: MANY, size: 7, sort, cursor });
      seen.push(...ids(page.events));
      expect(page.total).toEqual({ value: 300 / step, relation: 'eq' });
      cursor = page.cursor;
      pages++;
    } while (cursor);
    const expected = many.filter((_, i) => i % step === 0).map((event) => (event['event'] as { id: string }).id);
    expect(seen).toEqual(sort === 'asc' ? expected : [...expected].reverse());
    // 7 a page: the last page is short (or, for 300 hits, empty) and ends the walk.
    expect(pages).toBe(Math.floor(300 / step / 7) + 1);
  });

  it('answers a null cursor on a short page, and refuses a cursor of the other order', async () => {
    const page = await store.search({ query: q.all(), range: FEW, size: 100 });
    expect(page.cursor).toBeNull();
    const full = await store.search({ query: q.all(), range: MANY, size: 10 });
    await expect(store.search({ query: q.all(), range: MANY, size: 10, sort: 'asc', cursor: full.cursor })).rejects.toMatchObject({ code: 'FL_ERR_CURSOR_INVALID' });
  });

  it('counts exactly up to trackTotal, then a lower bound; false counts nothing', async () => {
    expect((await store.search({ query: q.all(), range: MANY, size: 5 })).total).toEqual({ value: 300, relation: 'eq' });
    expect((await store.search({ query: q.all(), range: MANY, size: 5, trackTotal: 300 })).total).toEqual({ value: 300, relation: 'eq' });
    expect((await store.search({ query: q.all(), range: MANY, size: 5, trackTotal: 299 })).total).toEqual({ value: 299, relation: 'gte' });
    expect((await store.search({ query: q.all(), range: MANY, size: 5, trackTotal: false })).total).toEqual({ value: 5, relation: 'gte' });
    const second = await store.search({ query: q.all(), range: MANY, size: 5 });
    const next = await store.search({ query: q.all(), range: MANY, size: 5, cursor: second.cursor });
    expect(next.total).toEqual({ value: 300, relation: 'eq' });
  });

  it('keeps to the time range [from, to)', async () => {
    const range = { from: T0 + 100_000, to: T0 + 101_000 };
    expect(ids((await store.search({ query: q.all(), range, size: 10, sort: 'asc' })).events)).toEqual(['m000', 'm001', 'm002']);
  });

  it.each([0, 10_001, 1.5])('refuses size %s', async (size) => {
    await expect(store.search({ query: q.all(), range: MANY, size })).rejects.toEqual(invalid(/size must be an integer from 1 to 10000/));
  });
});

describe('search over a range reaching past the stored events', () => {
  it('leaves out only the events the range leaves out, also once older and newer ones arrive', async () => {
    const own = await openEmbeddedStore({ file: ':memory:' });
    try {
      const event = (id: string, seconds: number, status: number) => ({ '@timestamp': at(seconds), event: { id }, host: { name: 'h' }, http: { response: { status_code: status } } });
      await own.write([event('b', 10, 500), event('c', 20, 200), event('d', 30, 503)]);
      const query = q.and(q.term('host.name', 'h'), q.range('http.response.status_code', { gte: 500 }));
      const range = { from: T0 + 5_000, to: T0 + 40_000 };
      const pages = async () => [
        ids((await own.search({ query, range, size: 10 })).events),
        ids((await own.search({ query, range, size: 10, sort: 'asc' })).events),
        (await own.search({ query, range, size: 1 })).total,
      ];
      expect(await pages()).toEqual([['d', 'b'], ['b', 'd'], { value: 2, relation: 'eq' }]);
      await own.write([event('a', 1, 500), event('e', 50, 502)]);
      expect(await pages()).toEqual([['d', 'b'], ['b', 'd'], { value: 2, relation: 'eq' }]);
    } finally {
      await own.close();
    }
  });
});

describe('histogram', () => {
  it('aligns buckets to the epoch and includes empty ones', async () => {
    const range = { from: T0 + 100_500, to: T0 + 104_500 };
    const result = await store.histogram({ query: q.all(), range, intervalMs: 2000 });
    expect(result).toEqual({
      intervalMs: 2000,
      buckets: [
        { ts: T0 + 100_000, count: 3 },
        { ts: T0 + 102_000, count: 6 },
        { ts: T0 + 104_000, count: 3 },
      ],
    });
    const total = await store.search({ query: q.all(), range, size: 1 });
    expect(result.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(total.total.value);
  });

  it('counts matching events only, with empty buckets', async () => {
    const result = await store.histogram({ query: q.term(null, 'refused'), range: { from: T0, to: T0 + 10_000 }, intervalMs: 5000 });
    expect(result.buckets).toEqual([
      { ts: T0, count: 1 },
      { ts: T0 + 5000, count: 1 },
    ]);
  });

  it('refuses more buckets than it can draw', async () => {
    await expect(store.histogram({ query: q.all(), range: { from: 0, to: 1e9 }, intervalMs: 1 })).rejects.toEqual(invalid(/buckets, more than 100000/));
  });
});

describe('topValues', () => {
  it('counts each array element, most frequent first, ties by value', async () => {
    expect(await store.topValues({ field: 'host.name', query: q.all(), range: MANY, size: 3 })).toEqual([
      { value: 'h0', count: 75 },
      { value: 'h1', count: 75 },
      { value: 'h2', count: 75 },
    ]);
    expect(await store.topValues({ field: 'tags', query: q.all(), range: MANY, size: 5 })).toEqual([
      { value: 'x', count: 300 },
      { value: 'ten', count: 60 },
    ]);
  });

  it('answers values as their JSON types', async () => {
    expect(await store.topValues({ field: 'http.response.status_code', query: q.term(null, 'even'), range: MANY, size: 5 })).toEqual([
      { value: 200, count: 50 },
      { value: 201, count: 50 },
      { value: 202, count: 50 },
    ]);
    expect(await store.topValues({ field: 'custom.flag', query: q.all(), range: ALL_TIME, size: 5 })).toEqual([{ value: true, count: 1 }]);
    expect(await store.topValues({ field: 'event.ingested', query: q.all(), range: ALL_TIME, size: 5 })).toEqual([
      { value: Date.parse('2026-03-01T00:00:07.500Z'), count: 1 },
    ]);
    expect(await store.topValues({ field: 'source.ip', query: q.all(), range: ALL_TIME, size: 5 })).toEqual([
      { value: '10.0.0.1', count: 1 },
      { value: '10.0.0.20', count: 1 },
      { value: '::1', count: 1 },
    ]);
  });

  it('leaves out keyword values over ignore_above', async () => {
    expect(await store.topValues({ field: 'url.original', query: q.all(), range: ALL_TIME, size: 5 })).toEqual([{ value: '/api/orders?id=7', count: 1 }]);
  });

  it('refuses text fields', async () => {
    await expect(store.topValues({ field: 'message', query: q.all(), range: ALL_TIME, size: 5 })).rejects.toEqual(
      invalid(/^cannot take top values of text field 'message'/),
    );
  });
});

describe('aggregate', () => {
  it('counts per group per tumbling window, sorted by group then window', async () => {
    const rows = await store.aggregate({ query: q.term(null, 'even'), range: MANY, groupBy: ['host.name'], windowMs: 50_000 });
    expect(rows.map((row) => [row.group['host.name'], row.windowStart, row.count])).toEqual([
      ['h0', T0 + 100_000, 38],
      ['h0', T0 + 150_000, 37],
      ['h2', T0 + 100_000, 37],
      ['h2', T0 + 150_000, 38],
    ]);
  });

  it('counts distinct values and leaves out events missing a group field', async () => {
    const rows = await store.aggregate({
      query: q.all(),
      range: ALL_TIME,
      groupBy: ['event.dataset', 'user.name'],
      windowMs: 3600_000,
      distinctField: 'source.ip',
    });
    expect(rows).toEqual([
      { group: { 'event.dataset': 'system.auth', 'user.name': 'alice' }, windowStart: T0, count: 1, distinct: 1 },
      { group: { 'event.dataset': 'system.auth', 'user.name': 'bob' }, windowStart: T0, count: 1, distinct: 0 },
      { group: { 'event.dataset': 'system.auth', 'user.name': 'root' }, windowStart: T0, count: 1, distinct: 1 },
    ]);
  });

  it('fans out over array values, counting each event once per group', async () => {
    const rows = await store.aggregate({ query: q.all(), range: MANY, groupBy: ['tags'], windowMs: 1_000_000, distinctField: 'host.name' });
    const window = Math.floor(MANY.from / 1_000_000) * 1_000_000;
    expect(rows).toEqual([
      { group: { tags: 'ten' }, windowStart: window, count: 30, distinct: 2 },
      { group: { tags: 'x' }, windowStart: window, count: 300, distinct: 4 },
    ]);
  });
});
