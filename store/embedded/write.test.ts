/** Writes: idempotent on event.id, rejections with reasons and dead letters, the field list. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEAD_LETTER_KIND, type Store } from '../contract.ts';
import { q } from '../query.ts';
import { openEmbeddedStore } from './index.ts';
import { ALL_TIME, at, testEvents } from './test-events.ts';

let store: Store | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function open(): Promise<Store> {
  store = await openEmbeddedStore({ file: ':memory:' });
  return store;
}

describe('write', () => {
  it('answers one outcome per event, in input order', async () => {
    const s = await open();
    const outcomes = await s.write([testEvents[0], { message: 'no id or time' }, testEvents[1]].map((event) => event ?? {}));
    expect(outcomes).toEqual([
      { status: 'stored' },
      { id: expect.stringMatching(/^[\w-]{22}$/), status: 'rejected', reason: "field '@timestamp' is required (ISO 8601 date)" },
      { status: 'stored' },
    ]);
  });

  it('stores an event once, however often it is written', async () => {
    const s = await open();
    await s.write(testEvents);
    const again = await s.write(testEvents);
    expect(again.map((outcome) => outcome.status)).toEqual(testEvents.map(() => 'duplicate'));
    const total = await s.search({ query: q.all(), range: ALL_TIME, size: 1 });
    expect(total.total).toEqual({ value: testEvents.length, relation: 'eq' });
  });

  it('counts a repeat within one batch as a duplicate, and keeps the first', async () => {
    const s = await open();
    const first = { '@timestamp': at(1), event: { id: 'same' }, message: 'first' };
    const second = { '@timestamp': at(2), event: { id: 'same' }, message: 'second' };
    expect((await s.write([first, second])).map((outcome) => outcome.status)).toEqual(['stored', 'duplicate']);
    expect((await s.getEvent('same'))?.message).toBe('first');
    expect((await s.search({ query: q.term(null, 'second'), range: ALL_TIME, size: 10 })).events).toEqual([]);
  });

  it('rejects invalid events with the validator reason and keeps them as dead letters', async () => {
    const s = await open();
    const bad = { '@timestamp': at(1), event: { id: 'bad-1' }, process: { pid: 'many' } };
    const outcomes = await s.write([bad, testEvents[0] ?? {}]);
    expect(outcomes[0]).toEqual({ id: 'bad-1', status: 'rejected', reason: `field 'process.pid': expected an integer (long), got "many"` });
    expect(outcomes[1]).toEqual({ status: 'stored' });
    const letter = await s.documents.get(DEAD_LETTER_KIND, 'bad-1');
    expect(letter).toEqual({ reason: outcomes[0]?.status === 'rejected' ? outcomes[0].reason : '', at: expect.any(String), event: bad });
    expect(await s.getEvent('bad-1')).toBeUndefined();
  });

  it('dead-letters what is not even an object under a hash of it', async () => {
    const s = await open();
    const [outcome] = await s.write(['just text' as unknown as Record<string, never>]);
    expect(outcome).toEqual({ id: expect.any(String), status: 'rejected', reason: 'an event must be a JSON object, got "just text"' });
    expect(await s.documents.get(DEAD_LETTER_KIND, outcome?.status === 'rejected' ? outcome.id : '')).toMatchObject({ event: 'just text' });
  });

  it('returns events exactly as validated: dotted keys nested, values coerced', async () => {
    const s = await open();
    await s.write([{ '@timestamp': '2026-03-01T01:00:00.123+01:00', 'event.id': 'dotted', 'host.name': 'h', http: { response: { status_code: '404' } }, 'labels.n': 3 }]);
    expect(await s.getEvent('dotted')).toEqual({
      '@timestamp': '2026-03-01T01:00:00.123+01:00',
      event: { id: 'dotted' },
      host: { name: 'h' },
      http: { response: { status_code: 404 } },
      labels: { n: '3' },
    });
    const found = await s.search({ query: q.term('http.response.status_code', 404), range: ALL_TIME, size: 1 });
    expect(found.events.map((event) => event.event.id)).toEqual(['dotted']);
  });

  it('accepts an empty batch', async () => {
    expect(await (await open()).write([])).toEqual([]);
  });
});

describe('fields', () => {
  it('lists fields that hold a value, sorted by name, with their types', async () => {
    const s = await open();
    await s.write(testEvents);
    const fields = await s.fields();
    expect(fields.map((field) => field.name)).toEqual([...fields.map((field) => field.name)].sort());
    const byName = Object.fromEntries(fields.map((field) => [field.name, field.type]));
    expect(byName).toMatchObject({
      '@timestamp': 'date',
      message: 'text',
      'error.stack_trace': 'text',
      'host.name': 'keyword',
      'source.ip': 'ip',
      'http.response.status_code': 'long',
      'app.latency_ms': 'double',
      'custom.flag': 'boolean',
      'labels.team': 'keyword',
      'log.syslog.structured_data': 'flattened',
    });
    // The first type written wins: `custom.count` was a number before it was 'seven'.
    expect(byName['custom.count']).toBe('long');
    // Nulls and empty arrays hold no value; object paths and flattened keys are not fields.
    for (const absent of ['custom.nothing', 'custom.none', 'host', 'log.syslog.structured_data.meta@1.seq']) expect(byName).not.toHaveProperty(absent);
  });

  it('keeps a type once seen and answers queries by it', async () => {
    const s = await open();
    await s.write([{ '@timestamp': at(1), event: { id: 'a' }, n: { v: 10 } }]);
    await s.write([{ '@timestamp': at(2), event: { id: 'b' }, n: { v: 9 } }]);
    const range = await s.search({ query: q.range('n.v', { gte: 9.5 }), range: ALL_TIME, size: 10 });
    expect(range.events.map((event) => event.event.id)).toEqual(['a']);
    expect(await s.fields()).toContainEqual({ name: 'n.v', type: 'long' });
  });
});
