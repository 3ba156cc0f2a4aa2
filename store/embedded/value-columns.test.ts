/**
 * Value columns answer exactly as the documents do: single values from the column, arrays and
 * over-long keywords from the document (marked rows), also after reopening and after upgrading a
 * file written before the columns existed; and a filter over a time range reads the index alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { knownField } from '../../core/event/fields.ts';
import { validateEvent } from '../../core/event/validate.ts';
import type { Store } from '../contract.ts';
import { matchesQuery } from '../match.ts';
import { q, type QueryNode } from '../query.ts';
import { compileQuery } from './compile.ts';
import { FieldTypes } from './fields.ts';
import { openEmbeddedStore } from './index.ts';
import { ALL_TIME, at } from './test-events.ts';
import { VALUE_FIELDS } from './value-columns.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-value-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const long = `web-${'x'.repeat(1100)}`;
const raw = [
  { host: { name: 'web-1' }, http: { response: { status_code: 200 } }, log: { level: 'info' } },
  { host: { name: ['web-1', 'db-1'] }, http: { response: { status_code: [404, 503] } }, log: { level: 'error' } },
  { host: { name: long }, http: { response: { status_code: 500 } } },
  { host: { name: [] }, http: { response: { status_code: [] } } },
  { host: { name: 'db-2' }, service: { name: 42 }, process: { name: 'sshd' } },
  { event: { dataset: 'nginx.access' }, http: { response: { status_code: '502' } } },
  { message: 'nothing in a value column' },
];
const events = raw.map((doc, i) => {
  const result = validateEvent({ '@timestamp': at(i), ...doc, event: { ...(doc as { event?: object }).event, id: `v${i}` } });
  if (!result.ok) throw new Error(result.reason);
  return result.event;
});

const queries: [string, QueryNode][] = [
  ['term on a single value', q.term('host.name', 'web-1')],
  ['term on an array element', q.term('host.name', 'db-1')],
  ['term on an over-long keyword', q.term('host.name', long)],
  ['wildcard', q.wildcard('host.name', 'web*')],
  ['wildcard over arrays', q.wildcard('host.name', 'db*')],
  ['exists', q.exists('host.name')],
  ['not exists', q.not(q.exists('host.name'))],
  ['not term', q.not(q.term('host.name', 'web-1'))],
  ['range on numbers', q.range('http.response.status_code', { gte: 500 })],
  ['range on array elements', q.range('http.response.status_code', { gt: 400, lt: 500 })],
  ['number as a keyword', q.term('service.name', '42')],
  ['keyword range', q.range('host.name', { gte: 'db', lt: 'dc' })],
  ['filter and range', q.and(q.term('host.name', 'web-1'), q.range('http.response.status_code', { gte: 500 }))],
  ['not of an absent field', q.not(q.term('log.level', 'info'))],
  ['exists on a numeric column', q.exists('http.response.status_code')],
];

const typeOf = (field: string) => knownField(field)?.type ?? 'keyword';

async function answers(store: Store, query: QueryNode): Promise<string[]> {
  const page = await store.search({ query, range: ALL_TIME, size: 100, sort: 'asc' });
  return page.events.map((event) => event.event.id);
}

function expected(query: QueryNode): string[] {
  return events.filter((event) => matchesQuery(event, query, typeOf)).map((event) => event.event.id);
}

describe('value columns', () => {
  it.each(queries)('%s: the same events as the documents give', async (_, query) => {
    const store = await openEmbeddedStore({ file: ':memory:' });
    try {
      await store.write(events);
      expect(await answers(store, query)).toEqual(expected(query));
    } finally {
      await store.close();
    }
  });

  it('answer the same after reopening, and after upgrading a file written before the columns existed', async () => {
    const file = join(dir, 'upgrade.db');
    const first = await openEmbeddedStore({ file });
    await first.write(events);
    await first.close();
    const reopened = await openEmbeddedStore({ file });
    for (const [name, query] of queries) expect(await answers(reopened, query), name).toEqual(expected(query));
    await reopened.close();

    // The file as version 1 wrote it: no value columns, an index on (ts, id) alone.
    const db = new DatabaseSync(file);
    db.exec('DROP INDEX events_ts_id');
    for (const field of VALUE_FIELDS) db.exec(`ALTER TABLE events DROP COLUMN v_${field.replaceAll('.', '_')}`);
    db.exec("DELETE FROM meta WHERE key IN ('value_fields', 'mixed_value_fields'); CREATE INDEX events_ts_id ON events (ts, id); PRAGMA user_version = 1");
    db.close();
    const upgraded = await openEmbeddedStore({ file });
    try {
      for (const [name, query] of queries) expect(await answers(upgraded, query), name).toEqual(expected(query));
    } finally {
      await upgraded.close();
    }
    const check = new DatabaseSync(file);
    expect(check.prepare('PRAGMA user_version').get()?.['user_version']).toBe(2);
    check.close();
  });

  it('let a filter over a time range read the (ts, id) index alone', async () => {
    const file = join(dir, 'plan.db');
    const store = await openEmbeddedStore({ file });
    await store.write(events);
    await store.close();
    const db = new DatabaseSync(file);
    try {
      const filter = compileQuery(q.and(q.term('host.name', 'web-1'), q.range('http.response.status_code', { gte: 500 })), new FieldTypes());
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM events AS e WHERE e.ts >= ? AND e.ts < ? AND ${filter.text}`)
        .all(0, 9e15, ...(filter.params as SQLInputValue[]))
        .map((row) => String(row['detail']));
      expect(plan.join('\n')).toContain('USING COVERING INDEX events_ts_id');
    } finally {
      db.close();
    }
  });
});
