import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import type { Store } from '../../store/contract.ts';
import { openEmbeddedStore } from '../../store/embedded/index.ts';
import { DATASET_END, DATASET_START, generateEvents } from '../../store/testing/dataset.ts';
import { LiveFeed, observeWrites } from '../tail/feed.ts';
import { createApp } from './app.ts';

const events = generateEvents(2000);
const FROM = new Date(DATASET_START).toISOString();
const TO = new Date(DATASET_END).toISOString();
let store: Store;
let app: ReturnType<typeof createApp>;
const feed = new LiveFeed();

beforeAll(async () => {
  const opened = await openEmbeddedStore({ file: join(mkdtempSync(join(tmpdir(), 'faultline-api-')), 'api.db'), logger: silentLogger });
  store = observeWrites(opened, feed);
  await store.write(events);
  app = createApp({ store, logger: silentLogger, version: 'test', feed });
});

afterAll(async () => {
  await store.close();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await app.request(path, { headers });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, text, body: isJson ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: response.headers };
};
const range = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

describe('HTTP API', () => {
  it('answers /api/health', async () => {
    const { status, body } = await get('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', store: { backend: 'embedded', status: 'ok' } });
  });

  it('searches with a query, newest first, and pages with the cursor', async () => {
    const first = await get(`/api/search?q=${encodeURIComponent('failed and host.name:db-1')}&${range}&size=5`);
    expect(first.status).toBe(200);
    const page = first.body as { total: { value: number }; events: { message: string; host: { name: string } }[]; cursor: string };
    expect(page.events).toHaveLength(5);
    for (const event of page.events) {
      expect(event.host.name).toBe('db-1');
      expect(event.message.toLowerCase()).toContain('failed');
    }
    const second = await get(`/api/search?q=${encodeURIComponent('failed and host.name:db-1')}&${range}&size=5&cursor=${page.cursor}`);
    const next = second.body as { events: { event: { id: string } }[] };
    expect(next.events.map((event) => event.event.id)).not.toContain((page.events[0] as unknown as { event: { id: string } }).event.id);
  });

  it('returns only the chosen fields', async () => {
    const { body } = await get(`/api/search?${range}&size=1&fields=host.name,@timestamp`);
    const [event] = (body as { events: Record<string, unknown>[] }).events;
    expect(Object.keys(event ?? {}).sort()).toEqual(['@timestamp', 'host']);
  });

  it('answers a syntax error with 400, the position and a caret', async () => {
    const { status, body } = await get(`/api/search?q=${encodeURIComponent('host.name:(a or')}&${range}`);
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        code: 'FL_ERR_QUERY_SYNTAX',
        message: "query syntax error at position 15: the query ends where a value for 'host.name' was expected",
        position: 15,
        query: 'host.name:(a or',
        caret: 'host.name:(a or\n               ^',
      },
    });
  });

  it.each([
    ['size=0', 'size: size must be a whole number from 1 to 10000'],
    ['size=abc', 'size: size must be a whole number from 1 to 10000'],
    ['sort=sideways', 'sort: '],
    ['from=yesterday', "invalid time from: 'yesterday' is not"],
    ['cursor=garbage', 'the cursor is not one this server issued'],
  ])('refuses %s with 400', async (param, message) => {
    const base = param.startsWith('from=') ? `to=${encodeURIComponent(TO)}` : range;
    const { status, body } = await get(`/api/search?${base}&${param}`);
    expect(status).toBe(400);
    expect((body as { error: { message: string } }).error.message).toContain(message);
  });

  it('draws a histogram whose buckets sum to the total', async () => {
    const { body } = await get(`/api/histogram?q=failed&${range}&buckets=30`);
    const histogram = body as { interval_ms: number; buckets: { ts: number; count: number }[] };
    expect(histogram.interval_ms).toBe(3 * 3_600_000);
    const total = await get(`/api/search?q=failed&${range}&size=1`);
    expect(histogram.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe((total.body as { total: { value: number } }).total.value);
  });

  it('lists fields and top values', async () => {
    const fields = (await get('/api/fields')).body as { fields: { name: string; type: string }[] };
    expect(fields.fields).toContainEqual({ name: 'host.name', type: 'keyword' });
    const values = (await get(`/api/fields/host.name/values?${range}&size=3`)).body as { values: { value: string; count: number }[] };
    expect(values.values).toHaveLength(3);
    expect(values.values[0]!.count).toBeGreaterThanOrEqual(values.values[1]!.count);
  });

  it('gets an event and its context; 404 for an unknown id', async () => {
    const id = events[1500]!.event.id;
    expect((await get(`/api/events/${id}`)).body).toEqual(events[1500]);
    const context = (await get(`/api/events/${id}/context?before=3&after=2`)).body as { before: unknown[]; after: unknown[] };
    expect(context.before.length).toBeLessThanOrEqual(3);
    expect(context.after.length).toBeLessThanOrEqual(2);
    const missing = await get('/api/events/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'FL_ERR_NOT_FOUND', message: "no event with id 'nope'", id: 'nope' } });
  });

  it('exports NDJSON and formula-safe CSV, oldest first', async () => {
    const ndjson = await get(`/api/export?q=${encodeURIComponent('host.name:cache-1')}&${range}`);
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = ndjson.text.trim().split('\n').map((line) => JSON.parse(line) as { '@timestamp': string; host: { name: string } });
    expect(lines.length).toBe(events.filter((event) => (event['host'] as { name: string }).name === 'cache-1').length);
    expect(lines.every((event, i) => i === 0 || event['@timestamp'] >= lines[i - 1]!['@timestamp'])).toBe(true);
    const csv = await get(`/api/export?q=${encodeURIComponent('host.name:cache-1')}&${range}&format=csv&fields=host.name,http.response.status_code`);
    expect(csv.text.split('\r\n')[0]).toBe('host.name,http.response.status_code');
    expect(csv.text.split('\r\n').length - 2).toBe(lines.length);
  });

  it('exports each event as stored, reading pages only as fast as the client takes them', async () => {
    let pages = 0;
    const counting: Store = { ...store, searchText: async (request) => (pages++, store.searchText!(request)), search: async (request) => (pages++, store.search(request)) };
    const countingApp = createApp({ store: counting, logger: silentLogger, version: 'test', feed });
    const response = await countingApp.request(`/api/export?${range}`);
    const reader = response.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // One chunk is taken, so at most the pages for it and the next one were read, not all eight.
    expect(pages).toBeLessThanOrEqual(2);
    for (let part = await reader.read(); !part.done; part = await reader.read()) text += new TextDecoder().decode(part.value);
    expect(pages).toBe(Math.ceil(events.length / 250) + (events.length % 250 === 0 ? 1 : 0));
    const exported = text.trim().split('\n').map((line) => JSON.parse(line) as { event: { id: string } });
    const byId = new Map(events.map((event) => [event.event.id, event]));
    expect(exported).toHaveLength(events.length);
    for (const event of exported) expect(event).toEqual(byId.get(event.event.id));
  });

  it('streams new matching events to /api/tail', async () => {
    const response = await app.request('/api/tail?q=tailmarker');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const read = async (until: string) => {
      while (!received.includes(until)) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value);
      }
    };
    await read('event: ready');
    await store.write([
      { '@timestamp': new Date().toISOString(), event: { id: 'tail-1' }, message: 'tailmarker one' },
      { '@timestamp': new Date().toISOString(), event: { id: 'tail-2' }, message: 'something else' },
    ]);
    await read('tail-1');
    await reader.cancel();
    expect(received).toContain('event: events');
    expect(received).toContain('tailmarker one');
    expect(received).not.toContain('something else');
  });

  it('publishes an OpenAPI document of its routes', async () => {
    const { body } = await get('/api/openapi.json');
    const paths = Object.keys((body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/search', '/api/histogram', '/api/fields', '/api/fields/{name}/values', '/api/events/{id}', '/api/events/{id}/context', '/api/export', '/api/tail']));
  });

  it('requires the bearer token on every route but /api/health when one is set', async () => {
    const secured = createApp({ store, logger: silentLogger, version: 'test', token: 'a-very-long-test-token' });
    expect((await secured.request('/api/health')).status).toBe(200);
    const missing = await secured.request(`/api/search?${range}`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: 'FL_ERR_UNAUTHORIZED', message: 'a bearer token is required (Authorization: Bearer <token>)' } });
    expect((await secured.request(`/api/search?${range}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await secured.request(`/api/search?${range}`, { headers: { authorization: 'Bearer a-very-long-test-token' } })).status).toBe(200);
  });
});
