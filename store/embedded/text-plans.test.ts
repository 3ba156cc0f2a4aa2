/**
 * Text queries take one of several plans by how common the word is and how the events were
 * written (search.ts): a first page from the word's last matches written, proved complete by the
 * time index; the walk of the time index for common words; the word's own matches for rare ones;
 * counts read a required word's matches in order, or only the text index when the range holds
 * (nearly) every event. Every plan must page and count as the documents say, also when events
 * were written out of time order.
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

/** The same events written in another order, so that the order of writing and of time differ. */
describe.each([
  ['shuffled', (i: number) => (i * 7919) % COUNT],
  ['with late arrivals (every 97th event written last)', (i: number) => i],
] as const)('text queries on events written %s', (name, order) => {
  let scrambled: Store;
  const late = name.startsWith('with late');

  beforeAll(async () => {
    scrambled = await openEmbeddedStore({ file: ':memory:' });
    const positions = Array.from({ length: COUNT }, (_, i) => order(i));
    const written = late ? [...positions.filter((i) => i % 97 !== 0), ...positions.filter((i) => i % 97 === 0)] : positions;
    for (let start = 0; start < COUNT; start += 5000) await scrambled.write(written.slice(start, start + 5000).map((i) => events[i] as JsonObject));
  });

  afterAll(async () => {
    await scrambled.close();
  });

  const cases = [
    ['a common word', ['often'], undefined],
    ['a rare word', ['seldom'], undefined],
    ['a common word and a filter', ['often'], 'h3'],
    ['two words', ['plain', 'often'], undefined],
  ] as const;

  it.each(cases)('%s: the first page both ways, and the total', async (_, words, host) => {
    const clauses: QueryNode[] = words.map((word) => q.term(null, word));
    if (host !== undefined) clauses.push(q.term('host.name', host));
    const query = clauses.length === 1 ? (clauses[0] as QueryNode) : q.and(...clauses);
    const want = expected([...words], host);
    for (const size of [1, 10, 100]) {
      const desc = await scrambled.search({ query, range: RANGE, size });
      expect(desc.events.map((event) => event.event.id)).toEqual(want.slice(0, size));
      expect(desc.total).toEqual(want.length > 10_000 ? { value: 10_000, relation: 'gte' } : { value: want.length, relation: 'eq' });
      const asc = await scrambled.search({ query, range: RANGE, size, sort: 'asc' });
      expect(asc.events.map((event) => event.event.id)).toEqual([...want].reverse().slice(0, size));
    }
    const exact = await scrambled.search({ query, range: RANGE, size: 10, trackTotal: COUNT });
    expect(exact.total).toEqual({ value: want.length, relation: 'eq' });
  });

  it('pages through a range that leaves out the last events written', async () => {
    const range = { from: T0, to: T0 + (COUNT / 2 - 10) * 1000 };
    const want = expected(['often']).filter((id) => Number(id.slice(1)) < COUNT - 20);
    const page = await scrambled.search({ query: q.term(null, 'often'), range, size: 100 });
    expect(page.events.map((event) => event.event.id)).toEqual(want.slice(0, 100));
    expect(page.total).toEqual({ value: 10_000, relation: 'gte' });
  });
});

describe('counts of a lone word from the text index', () => {
  /** Newest first, the ids of events holding `often` from `first` (an index) on. */
  const often = (first: number, last = COUNT) => expected(['often']).filter((id) => Number(id.slice(1)) >= first && Number(id.slice(1)) < last);

  it.each([
    ['every event in the range', RANGE, 0, COUNT],
    ['a few events before the range', { from: T0 + 100 * 1000, to: RANGE.to }, 200, COUNT],
    ['a few events after the range', { from: T0, to: T0 + (COUNT / 2 - 100) * 1000 }, 0, COUNT - 200],
  ] as const)('%s: exact below the limit, a lower bound above it', async (_, range, first, last) => {
    const want = often(first, last);
    for (const trackTotal of [want.length - 1, want.length, want.length + 1, 29_000, 100]) {
      const page = await store.search({ query: q.term(null, 'often'), range, size: 10, trackTotal });
      expect(page.total).toEqual(want.length > trackTotal ? { value: trackTotal, relation: 'gte' } : { value: want.length, relation: 'eq' });
      expect(page.events.map((event) => event.event.id)).toEqual(want.slice(0, 10));
    }
  });
});
