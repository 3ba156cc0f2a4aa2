/**
 * Text queries take one of two plans by how common the word is (search.ts): the walk of the time
 * index for common words, the word's own matches for rare ones; counts read a required word's
 * matches in order. Both plans must page and count as the documents say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/event/types.ts';
import type { Store } from '../contract.ts';
import { scan } from '../scan.ts';
import { q, type QueryNode } from '../query.ts';
import { openEmbeddedStore } from './index.ts';
import { T0 } from './test-events.ts';

const COUNT = 30_000;
const events: JsonObject[] = Array.from({ length: COUNT }, (_, i) => ({
  '@timestamp': new Date(T0 + Math.floor(i / 2) * 1000).toISOString(),
  event: { id: `t${String(i).padStart(5, '0')}` },
  message: `${i % 1000 === 0 ? 'seldom' : 'often'} line ${i % 3 === 0 ? 'fizz' : 'plain'}`,
  host: { name: `h${i % 5}` },
}));
const RANGE = { from: T0, to: T0 + COUNT * 1000 };
let store: Store;

beforeAll(async () => {
  store = await openEmbeddedStore({ file: ':memory:' });
  await store.write(events);
});

afterAll(async () => {
  await store.close();
});

/** Ids of the events whose message holds every word and whose host is `host` (when given), newest first. */
function expected(words: string[], host?: string): string[] {
  return events
    .filter((event) => words.every((word) => String(event['message']).split(' ').includes(word)))
    .filter((event) => host === undefined || (event['host'] as { name: string }).name === host)
    .map((event) => (event['event'] as { id: string }).id)
    .reverse();
}

async function allPages(query: QueryNode): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of scan(store, { query, range: RANGE, pageSize: 700, sort: 'desc' })) seen.push(event.event.id);
  return seen;
}

describe('text queries on common and rare words', () => {
  it.each([
    ['a common word (time index walk)', ['often'], undefined],
    ['a rare word (its matches)', ['seldom'], undefined],
    ['a common word and a filter', ['often'], 'h3'],
    ['a rare word and a common one', ['seldom', 'fizz'], undefined],
  ] as const)('%s: every page, in order, and the total', async (_, words, host) => {
    const clauses: QueryNode[] = words.map((word) => q.term(null, word));
    if (host !== undefined) clauses.push(q.term('host.name', host));
    const query = clauses.length === 1 ? (clauses[0] as QueryNode) : q.and(...clauses);
    const want = expected([...words], host);
    expect(await allPages(query)).toEqual(want);
    const first = await store.search({ query, range: RANGE, size: 10 });
    expect(first.total).toEqual(want.length > 10_000 ? { value: 10_000, relation: 'gte' } : { value: want.length, relation: 'eq' });
    const exact = await store.search({ query, range: RANGE, size: 10, trackTotal: COUNT });
    expect(exact.total).toEqual({ value: want.length, relation: 'eq' });
  });

  it('counts a required word within the range only', async () => {
    const half = { from: T0, to: T0 + (COUNT / 4) * 1000 };
    const page = await store.search({ query: q.term(null, 'often'), range: half, size: 10, trackTotal: COUNT });
    expect(page.total).toEqual({ value: expected(['often']).filter((id) => Number(id.slice(1)) < COUNT / 2).length, relation: 'eq' });
  });
});
