import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaultlineEvent, JsonObject } from '../../core/event/types.ts';
import { q } from '../query.ts';
import { openElasticsearchStore, type ElasticsearchStore } from './index.ts';
import { deletePrefix, describeWithElasticsearch, uniquePrefix } from './testing.ts';

const DAY_MS = 86_400_000;
const DAY1 = Date.parse('2026-03-01T00:00:00Z');
const RANGE = { from: DAY1, to: DAY1 + 3 * DAY_MS };

function event(id: string, at: number, extra: JsonObject = {}): FaultlineEvent {
  return { '@timestamp': new Date(at).toISOString(), event: { id }, ...extra } as FaultlineEvent;
}

/** Two days whose indices map the dynamic field app.n differently (long, then double). */
const events: FaultlineEvent[] = [
  event('e1', DAY1 + 1000, { message: 'Connection refused to db-1:5432', app: { n: 5, ok: true }, source: { ip: '10.0.0.9' }, host: { name: 'web-1' } }),
  event('e2', DAY1 + 2000, { message: '', app: { ok: false }, source: { ip: '10.0.0.10' }, host: { name: 'web-2' }, event: { id: 'e2', created: '2026-03-01T00:00:01.500Z' } }),
  event('e3', DAY1 + DAY_MS + 1000, { message: 'retrying request', app: { n: 2.5, ok: true }, source: { ip: '10.0.0.9' }, host: { name: 'web-1' } }),
  event('e4', DAY1 + DAY_MS + 2000, { message: 'done', source: { ip: '10.0.0.10' }, host: { name: 'web-1' }, event: { id: 'e4', created: '2026-03-01T00:00:01.500Z' } }),
];

describeWithElasticsearch('Elasticsearch reads', (url) => {
  const prefix = uniquePrefix('read');
  let store: ElasticsearchStore;

  beforeAll(async () => {
    store = openElasticsearchStore({ url, index_prefix: prefix });
    const outcomes = await store.write(events);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
    await store.refresh();
  });

  afterAll(async () => {
    await store?.close();
    await deletePrefix(url, prefix);
  });

  it('gets an event by id as it was written', async () => {
    expect(await store.getEvent('e3')).toEqual(events[2]);
    expect(await store.getEvent('nope')).toBeUndefined();
  });

  it('lists only fields that hold a value, and one type for a field the days map differently', async () => {
    const fields = await store.fields();
    expect(fields.find((field) => field.name === 'app.n')).toEqual({ name: 'app.n', type: 'double' });
    expect(fields.map((field) => field.name)).toEqual(['@timestamp', 'app.n', 'app.ok', 'event.created', 'event.id', 'host.name', 'message', 'source.ip']);
  });

  it('compares a dynamic number by its value on every day', async () => {
    const hits = await store.search({ query: q.range('app.n', { gte: 2, lt: 3 }), range: RANGE, size: 10 });
    expect(hits.events.map((hit) => hit.event.id)).toEqual(['e3']);
    const exact = await store.search({ query: q.term('app.n', '5'), range: RANGE, size: 10 });
    expect(exact.events.map((hit) => hit.event.id)).toEqual(['e1']);
  });

  it('finds an empty message as existing, and matches text by its tokens', async () => {
    const empty = await store.search({ query: q.and(q.exists('message'), q.not(q.wildcard(null, '*'))), range: RANGE, size: 10 });
    expect(empty.events.map((hit) => hit.event.id)).toEqual(['e2']);
    const refused = await store.search({ query: q.term(null, 'DB-1:5432 connection'), range: RANGE, size: 10 });
    expect(refused.events.map((hit) => hit.event.id)).toEqual(['e1']);
  });

  it('gives top values as JSON values: booleans, dates as epoch ms, ip ties in text order', async () => {
    expect(await store.topValues({ field: 'app.ok', query: q.all(), range: RANGE, size: 5 })).toEqual([
      { value: true, count: 2 },
      { value: false, count: 1 },
    ]);
    expect(await store.topValues({ field: 'event.created', query: q.all(), range: RANGE, size: 5 })).toEqual([{ value: Date.parse('2026-03-01T00:00:01.500Z'), count: 2 }]);
    expect(await store.topValues({ field: 'source.ip', query: q.all(), range: RANGE, size: 1 })).toEqual([{ value: '10.0.0.10', count: 2 }]);
  });

  it('draws every bucket that overlaps the range, empty ones included', async () => {
    const hour = 3_600_000;
    const histogram = await store.histogram({ query: q.all(), range: { from: DAY1 - 90 * 60_000, to: DAY1 + hour + 1 }, intervalMs: hour });
    expect(histogram).toEqual({
      intervalMs: hour,
      buckets: [
        { ts: DAY1 - 2 * hour, count: 0 },
        { ts: DAY1 - hour, count: 0 },
        { ts: DAY1, count: 2 },
        { ts: DAY1 + hour, count: 0 },
      ],
    });
  });

  it('pages through more groups than one composite page holds', async () => {
    const many = openElasticsearchStore({ url, index_prefix: `${prefix}-many` });
    try {
      const users = Array.from({ length: 1500 }, (_, i) => event(`u${i}`, DAY1 + i, { user: { name: `user-${String(i).padStart(4, '0')}` }, source: { ip: `10.1.${i % 3}.1` } }));
      await many.write(users);
      await many.refresh();
      const rows = await many.aggregate({ query: q.all(), range: RANGE, groupBy: ['user.name'], windowMs: DAY_MS, distinctField: 'source.ip' });
      expect(rows.length).toBe(1500);
      expect(rows[0]).toEqual({ group: { 'user.name': 'user-0000' }, windowStart: DAY1, count: 1, distinct: 1 });
      expect(rows[1499]?.group).toEqual({ 'user.name': 'user-1499' });
    } finally {
      await many.close();
      await deletePrefix(url, `${prefix}-many`);
    }
  });

  it('refuses what cannot be asked, with FL_ERR_QUERY_INVALID or FL_ERR_CURSOR_INVALID', async () => {
    await expect(store.search({ query: q.term('event.original', 'x'), range: RANGE, size: 10 })).rejects.toMatchObject({ code: 'FL_ERR_QUERY_INVALID' });
    await expect(store.search({ query: q.all(), range: RANGE, size: 10_001 })).rejects.toMatchObject({ code: 'FL_ERR_QUERY_INVALID' });
    await expect(store.topValues({ field: 'message', query: q.all(), range: RANGE, size: 5 })).rejects.toMatchObject({ code: 'FL_ERR_QUERY_INVALID' });
    const page = await store.search({ query: q.all(), range: RANGE, size: 1 });
    await expect(store.search({ query: q.all(), range: RANGE, size: 1, sort: 'asc', cursor: page.cursor })).rejects.toMatchObject({ code: 'FL_ERR_CURSOR_INVALID' });
    expect((await store.search({ query: q.all(), range: RANGE, size: 2, trackTotal: false })).total).toEqual({ value: 2, relation: 'gte' });
    // What only Elasticsearch checks comes back with its reason.
    await expect(store.search({ query: q.all(), range: RANGE, size: 2, trackTotal: -5 })).rejects.toMatchObject({
      code: 'FL_ERR_QUERY_INVALID',
      message: expect.stringMatching(/^searching failed: Elasticsearch refused the request \(400 .*track_total_hits/),
    });
  });

  it('keeps documents under ids of any length, listed in id order a page at a time', async () => {
    const long = 'x'.repeat(600);
    await store.documents.put('incident', long, { title: 'long id' });
    await store.documents.put('incident', 'a', { title: 'a' });
    await store.documents.put('incident', 'b', { title: 'b' });
    expect(await store.documents.get('incident', long)).toEqual({ title: 'long id' });
    expect(await store.documents.list('incident', { limit: 2 })).toEqual([
      { id: 'a', doc: { title: 'a' } },
      { id: 'b', doc: { title: 'b' } },
    ]);
    expect(await store.documents.list('incident', { afterId: 'b' })).toEqual([{ id: long, doc: { title: 'long id' } }]);
    expect(await store.documents.list('other')).toEqual([]);
  });

  it('deletes whole days before the cutoff and names them', async () => {
    expect(await store.deleteBefore(DAY1 + DAY_MS + 1)).toEqual({ removed: [`${prefix}-events-2026.03.01`] });
    await store.refresh();
    const left = await store.search({ query: q.all(), range: RANGE, size: 10, sort: 'asc' });
    expect(left.events.map((hit) => hit.event.id)).toEqual(['e3', 'e4']);
  });
});
