/** The store on a real file, through its writer thread: reopening, documents, retention, health, closing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { q } from '../query.ts';
import { openEmbeddedStore } from './index.ts';
import { ALL_TIME, at, T0, testEvents } from './test-events.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = async (store: Awaited<ReturnType<typeof openEmbeddedStore>>, query = q.all()) =>
  (await store.search({ query, range: ALL_TIME, size: 100, sort: 'asc' })).events.map((event) => event.event.id);

describe('on a file', () => {
  it('creates the directory, and keeps events, fields and documents across reopening', async () => {
    const file = join(dir, 'nested', 'deeper', 'store.db');
    const first = await openEmbeddedStore({ file });
    await first.write(testEvents);
    await first.documents.put('rule_state', 'r1', { fired: 2 });
    const fields = await first.fields();
    await first.close();

    const again = await openEmbeddedStore({ file });
    expect(await ids(again)).toEqual(testEvents.map((event) => (event['event'] as { id: string }).id));
    expect(await ids(again, q.phrase(null, 'connection refused'))).toEqual(['e3']);
    expect(await again.fields()).toEqual(fields);
    expect(await again.getEvent('e4')).toEqual(testEvents[3]);
    expect(await again.documents.get('rule_state', 'r1')).toEqual({ fired: 2 });
    expect((await again.write(testEvents.slice(0, 2))).map((outcome) => outcome.status)).toEqual(['duplicate', 'duplicate']);
    await again.close();
  });

  it('keeps concurrent batches apart: each is one transaction with its own outcomes', async () => {
    const store = await openEmbeddedStore({ file: join(dir, 'concurrent.db') });
    const batch = (from: number) =>
      Array.from({ length: 700 }, (_, i) => ({ '@timestamp': at(from + i), event: { id: `c${from + i}` }, message: `event ${from + i}` }));
    const results = await Promise.all([store.write(batch(0)), store.write(batch(350)), store.write(batch(1000))]);
    expect(results.map((outcomes) => outcomes.filter((outcome) => outcome.status === 'stored').length)).toEqual([700, 350, 650]);
    expect((await store.search({ query: q.all(), range: { from: T0, to: T0 + 10_000_000 }, size: 1 })).total).toEqual({ value: 1700, relation: 'eq' });
    await store.close();
  });

  /** A store in `name` whose database refuses to insert the event with id `refused`. */
  const openRefusing = async (name: string, refused: string) => {
    const file = join(dir, name);
    const store = await openEmbeddedStore({ file });
    const sabotage = new DatabaseSync(file);
    sabotage.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN new.id = '${refused}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    sabotage.close();
    return store;
  };

  it('rolls back the whole batch when any part of it fails, and goes on with the next', async () => {
    const store = await openRefusing('atomic.db', 'a500');
    const batch = Array.from({ length: 700 }, (_, i) => ({ '@timestamp': at(i), event: { id: `a${i}` }, message: 'atomic' }));
    await expect(store.write(batch)).rejects.toMatchObject({ code: 'FL_ERR_STORE_FAILED', message: expect.stringContaining('refused by test') });
    expect(await ids(store)).toEqual([]);
    expect(await store.fields()).toEqual([]);
    expect((await store.write(batch.slice(0, 3))).map((outcome) => outcome.status)).toEqual(['stored', 'stored', 'stored']);
    expect(await ids(store, q.term(null, 'atomic'))).toEqual(['a0', 'a1', 'a2']);
    await store.close();
  });

  it('commits a batch sent while the one before it fails, and the document sent after both', async () => {
    const store = await openRefusing('in-flight.db', 'p500');
    const batch = (prefix: string) => Array.from({ length: 700 }, (_, i) => ({ '@timestamp': at(i), event: { id: `${prefix}${i}` }, message: prefix }));
    const [failed, written, put] = await Promise.allSettled([store.write(batch('p')), store.write(batch('q')), store.documents.put('checkpoint', 'c', { at: 1 })]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { code: 'FL_ERR_STORE_FAILED', message: expect.stringContaining('refused by test') } });
    expect(written.status === 'fulfilled' && new Set(written.value.map((outcome) => outcome.status))).toEqual(new Set(['stored']));
    expect(put.status).toBe('fulfilled');
    expect((await store.search({ query: q.all(), range: ALL_TIME, size: 1 })).total).toEqual({ value: 700, relation: 'eq' });
    expect(await store.search({ query: q.term(null, 'p'), range: ALL_TIME, size: 1 })).toMatchObject({ events: [] });
    expect(await store.documents.get('checkpoint', 'c')).toEqual({ at: 1 });
    await store.close();
  });

  it('documents: put replaces, list pages in id order, delete reports whether it removed', async () => {
    const store = await openEmbeddedStore({ file: join(dir, 'documents.db') });
    for (const id of ['b', 'c', 'a']) await store.documents.put('incident', id, { id, n: 1 });
    await store.documents.put('incident', 'a', { id: 'a', n: 2 });
    await store.documents.put('alert', 'a', { other: true });
    expect(await store.documents.list('incident')).toEqual([
      { id: 'a', doc: { id: 'a', n: 2 } },
      { id: 'b', doc: { id: 'b', n: 1 } },
      { id: 'c', doc: { id: 'c', n: 1 } },
    ]);
    expect((await store.documents.list('incident', { afterId: 'a', limit: 1 })).map((entry) => entry.id)).toEqual(['b']);
    expect(await store.documents.delete('incident', 'b')).toBe(true);
    expect(await store.documents.delete('incident', 'b')).toBe(false);
    expect(await store.documents.get('incident', 'b')).toBeUndefined();
    expect(await store.documents.get('alert', 'a')).toEqual({ other: true });
    await store.close();
  });

  it('deletes events before the cutoff, and forgets fields no stored event holds', async () => {
    const store = await openEmbeddedStore({ file: join(dir, 'retention.db') });
    await store.write(testEvents);
    expect(await store.deleteBefore(Date.parse(at(5)))).toEqual({ removed: ['4 events'] });
    expect(await ids(store)).toEqual(['e5', 'e6', 'e7', 'e8']);
    expect(await ids(store, q.term(null, 'refused'))).toEqual(['e6']);
    const names = (await store.fields()).map((field) => field.name);
    expect(names).not.toContain('error.message');
    expect(names).not.toContain('source.ip');
    expect(names).toContain('error.stack_trace');
    expect(await store.deleteBefore(0)).toEqual({ removed: ['0 events'] });
    await store.close();
  });

  it('rebuilds the full-text index when the text fields it covers have changed', async () => {
    const file = join(dir, 'rebuild.db');
    const store = await openEmbeddedStore({ file });
    await store.write(testEvents);
    await store.close();
    const db = new DatabaseSync(file);
    db.exec(`UPDATE meta SET value = '["message"]' WHERE key = 'text_fields'; DELETE FROM events_fts;`);
    db.close();
    const info: string[] = [];
    const reopened = await openEmbeddedStore({ file, logger: { debug() {}, info: (message) => info.push(message), warn() {}, error() {} } });
    expect(info).toContain('embedded store: text fields changed, full-text index rebuilt');
    expect(await ids(reopened, q.term('error.message', 'refused'))).toEqual(['e3']);
    expect(await ids(reopened, q.phrase(null, 'connection refused'))).toEqual(['e3']);
    await reopened.close();
  });

  it('reports its health, and refuses work once closed', async () => {
    const file = join(dir, 'health.db');
    const store = await openEmbeddedStore({ file });
    expect(await store.health()).toEqual({ backend: 'embedded', status: 'ok', detail: file });
    await store.close();
    await store.close();
    expect(await store.health()).toMatchObject({ backend: 'embedded', status: 'unavailable' });
    await expect(store.search({ query: q.all(), range: ALL_TIME, size: 1 })).rejects.toMatchObject({ code: 'FL_ERR_STORE_UNAVAILABLE' });
    await expect(store.write(testEvents)).rejects.toMatchObject({ code: 'FL_ERR_STORE_UNAVAILABLE' });
  });

  it('answers an unusable path as unavailable', async () => {
    await expect(openEmbeddedStore({ file: join(dir, 'health.db', 'inside-a-file.db') })).rejects.toMatchObject({ code: 'FL_ERR_STORE_UNAVAILABLE' });
  });
});
