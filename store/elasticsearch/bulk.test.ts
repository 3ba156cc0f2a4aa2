import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JsonObject } from '../../core/event/types.ts';
import { DEAD_LETTER_KIND } from '../contract.ts';
import { q } from '../query.ts';
import { BulkAnswerSerializer, FILTER_PATH } from './bulk.ts';
import { openElasticsearchStore, type ElasticsearchConfigInput, type ElasticsearchStore } from './index.ts';
import { deletePrefix, describeWithElasticsearch, uniquePrefix } from './testing.ts';

const DAY = Date.parse('2026-03-01T00:00:00Z');
const RANGE = { from: DAY, to: DAY + 3 * 86_400_000 };

function event(id: string, at = '2026-03-01T10:00:00.000Z', extra: JsonObject = {}): JsonObject {
  return { '@timestamp': at, event: { id }, message: `event ${id}`, ...extra };
}

describeWithElasticsearch('Elasticsearch bulk writes', (url) => {
  const admin = new Client({ node: url });
  const prefixes: string[] = [];
  const open = async (options: Omit<ElasticsearchConfigInput, 'url' | 'index_prefix'> = {}): Promise<ElasticsearchStore> => {
    const prefix = uniquePrefix('bulk');
    prefixes.push(prefix);
    const store = openElasticsearchStore({ url, index_prefix: prefix, ...options });
    await store.ready();
    return store;
  };
  let store: ElasticsearchStore;

  beforeAll(async () => {
    store = await open();
  });

  afterAll(async () => {
    await store?.close();
    for (const prefix of prefixes) await deletePrefix(url, prefix);
    await admin.close();
  });

  it('answers one outcome per event in input order: stored, duplicate, rejected', async () => {
    expect(await store.write([event('a'), event('b')])).toEqual([
      { status: 'stored' },
      { status: 'stored' },
    ]);
    const outcomes = await store.write([event('c'), event('a'), { event: { id: 'no-time' } }, event('c'), event('d', '2026-03-01T10:00:00Z', { source: { ip: 'nope' } })]);
    expect(outcomes).toEqual([
      { status: 'stored' },
      { status: 'duplicate' },
      { id: 'no-time', status: 'rejected', reason: "field '@timestamp' is required (ISO 8601 date)" },
      { status: 'duplicate' },
      { id: 'd', status: 'rejected', reason: `field 'source.ip': expected an IPv4 or IPv6 address (ip), got "nope"` },
    ]);
    const letters = await store.documents.list(DEAD_LETTER_KIND);
    expect(letters.map((letter) => [letter.id, letter.doc['reason']])).toEqual([
      ['d', `field 'source.ip': expected an IPv4 or IPv6 address (ip), got "nope"`],
      ['no-time', "field '@timestamp' is required (ISO 8601 date)"],
    ]);
    expect(letters[1]?.doc).toMatchObject({ at: expect.any(String), event: { event: { id: 'no-time' } } });
  });

  it("puts each event in the daily index of its UTC day, so a retry meets the first copy's 409", async () => {
    const late = event('late', '2026-03-01T23:30:00-02:00');
    await store.write([late]);
    expect(await store.write([late])).toEqual([{ status: 'duplicate' }]);
    expect(await admin.exists({ index: `${prefixes[0]}-events-2026.03.02`, id: 'late' })).toBe(true);
  });

  it("rejects what Elasticsearch refuses with Elasticsearch's reason, and keeps it as a dead letter", async () => {
    await store.write([event('n1', '2026-03-02T01:00:00Z', { app: { attempts: 3 } })]);
    const outcomes = await store.write([event('n2', '2026-03-02T02:00:00Z', { app: { attempts: 'three' } }), event('n3', '2026-03-02T03:00:00Z')]);
    expect(outcomes).toEqual([
      { id: 'n2', status: 'rejected', reason: expect.stringMatching(/^Elasticsearch rejected the event: document_parsing_exception: .*failed to parse field \[app\.attempts\] of type \[long\]/) },
      { status: 'stored' },
    ]);
    expect(await store.documents.get(DEAD_LETTER_KIND, 'n2')).toMatchObject({ reason: outcomes[0]?.status === 'rejected' ? outcomes[0].reason : '' });
  });

  it('keeps the refused event as it was, whatever its characters', async () => {
    const text = 'café ✓ 日本語 😀 "quoted" \\ back\nslash';
    await store.write([event('u1', '2026-03-02T04:00:00Z', { app: { size: 3 } })]);
    const refused = event('u2', '2026-03-02T05:00:00Z', { message: text, app: { size: 'big' }, labels: { 'ключ': 'значение' } });
    const outcomes = await store.write([event('u0', '2026-03-02T04:30:00Z', { message: `${text} first` }), refused, event('u3', '2026-03-02T06:00:00Z', { message: text })]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['stored', 'rejected', 'stored']);
    expect((await store.documents.get(DEAD_LETTER_KIND, 'u2'))?.['event']).toEqual(refused);
    await store.refresh();
    const found = await store.getEvent('u3');
    expect(found?.message).toBe(text);
  });

  it('sends again only the items that could not be taken yet, beside the ones that were', async () => {
    const partly = await open({ max_retries: 8 });
    try {
      await partly.write([event('day1', '2026-03-01T10:00:00Z'), event('day2', '2026-03-02T10:00:00Z')]);
      const index = `${prefixes[prefixes.length - 1]}-events-2026.03.01`;
      await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': true } });
      const mixed = Array.from({ length: 12 }, (_, i) => event(`mixed-${i}`, i % 3 === 0 ? `2026-03-01T11:00:0${i % 10}Z` : `2026-03-02T11:00:0${i % 10}Z`, { message: `mixed ✓ ${i}` }));
      const writing = partly.write(mixed);
      await new Promise((resolve) => setTimeout(resolve, 700));
      await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': null } });
      expect(await writing).toEqual(mixed.map(() => ({ status: 'stored' })));
      await partly.refresh();
      const stored = await partly.search({ query: q.phrase('message', 'mixed'), range: RANGE, size: 100 });
      expect(stored.events.map((found) => found.message).sort()).toEqual(mixed.map((sent) => sent['message']).sort());
    } finally {
      await partly.close();
    }
  });

  it('cuts large writes into several bulk requests', async () => {
    const small = await open({ bulk_max_events: 7, bulk_max_bytes: 2000, bulk_concurrency: 3 });
    try {
      const events = Array.from({ length: 100 }, (_, i) => event(`split-${i}`, new Date(DAY + i * 60_000).toISOString(), { message: 'x'.repeat(i * 10) }));
      expect((await small.write(events)).every((outcome) => outcome.status === 'stored')).toBe(true);
      await small.refresh();
      expect((await small.search({ query: q.all(), range: RANGE, size: 1, trackTotal: 1000 })).total).toEqual({ value: 100, relation: 'eq' });
    } finally {
      await small.close();
    }
  });

  it('retries the items Elasticsearch cannot take yet (429), then stores them', async () => {
    const blocked = await open({ max_retries: 8 });
    try {
      await blocked.write([event('first')]);
      const index = `${prefixes[prefixes.length - 1]}-events-2026.03.01`;
      // A read-only-allow-delete block answers each write with 429, as a full disk does.
      await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': true } });
      const writing = blocked.write([event('second'), event('third')]);
      await new Promise((resolve) => setTimeout(resolve, 700));
      await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': null } });
      expect(await writing).toEqual([
        { status: 'stored' },
        { status: 'stored' },
      ]);
    } finally {
      await blocked.close();
    }
  });

  it('gives up after max_retries with FL_ERR_STORE_UNAVAILABLE, so the caller can spool', async () => {
    const blocked = await open({ max_retries: 1 });
    const index = `${prefixes[prefixes.length - 1]}-events-2026.03.01`;
    try {
      await blocked.write([event('first')]);
      await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': true } });
      await expect(blocked.write([event('second')])).rejects.toMatchObject({
        code: 'FL_ERR_STORE_UNAVAILABLE',
        message: expect.stringMatching(/^writing events: 1 of them still failed after 2 attempts: 429 cluster_block_exception/),
      });
    } finally {
      await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': null } });
      await blocked.close();
    }
  });

  it("reads Elasticsearch's answer without item errors as that alone, and any other answer whole", async () => {
    const reader = new Client({ node: url, Serializer: BulkAnswerSerializer });
    const index = `${prefixes[0]}-events-2026.03.27`;
    const bulk = async (ids: string[]) =>
      (
        await reader.transport.request<JsonObject>({
          method: 'POST',
          path: '/_bulk',
          querystring: { filter_path: FILTER_PATH },
          bulkBody: ids.flatMap((id) => [{ create: { _index: index, _id: id } }, event(id, '2026-03-27T10:00:00.000Z')]),
        })
      );
    try {
      // Every item created: the items are not read (a real answer, so the shortcut is known to apply).
      expect(await bulk(['answer-1', 'answer-2'])).toEqual({ errors: false });
      // One conflict among them: every item's status.
      expect(await bulk(['answer-2', 'answer-3'])).toEqual({
        errors: true,
        items: [{ create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: expect.any(String) } } }, { create: { status: 201 } }],
      });
      // Other answers: read whole.
      await reader.indices.refresh({ index });
      expect(await reader.transport.request({ method: 'GET', path: `/${index}/_count` })).toMatchObject({ count: 3 });
    } finally {
      await reader.close();
    }
  });
});
