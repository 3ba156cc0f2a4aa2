import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultlineError } from '../../../core/errors.ts';
import { defaultParse } from '../../default-parse.ts';
import { deliveryConfigSchema } from '../../delivery/config.ts';
import { Delivery } from '../../delivery/delivery.ts';
import { memoryStore, outageStore, type MemoryStore, type OutageStore } from '../../testing/stores.ts';
import { createIngestHandler, httpInputParse } from './handler.ts';

let dir: string;
let inner: MemoryStore;
let store: OutageStore;
let delivery: Delivery;
let handler: (request: Request) => Promise<Response>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-http-'));
  inner = memoryStore();
  store = outageStore(inner);
  delivery = await Delivery.open({ store, dataDir: dir, config: deliveryConfigSchema.parse({ flush_interval: '10ms' }) });
  handler = createIngestHandler({
    input: delivery.input('http', 'http', httpInputParse),
    resolveParse: (id) => {
      if (id === 'plain') return defaultParse;
      throw new FaultlineError('FL_ERR_USAGE', `unknown pipeline '${id}'; known: plain`);
    },
    maxBodyBytes: 4096,
    timeoutMs: 2000,
  });
});

afterEach(async () => {
  await delivery.close(100);
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: string, type: string, query = '') =>
  handler(new Request(`http://localhost/api/ingest${query}`, { method: 'POST', body, headers: { 'content-type': type } }));

const ts = '2026-01-01T00:00:00.000Z';

describe('HTTP ingest handler', () => {
  it('takes NDJSON events, keeps the sender id, hashes the rest, and reports rejections by index', async () => {
    const body = [
      JSON.stringify({ '@timestamp': ts, message: 'a', event: { id: 'sender-1' } }),
      '',
      'not json',
      JSON.stringify({ '@timestamp': ts, message: 'b' }),
      JSON.stringify([1]),
      JSON.stringify({ message: 'no timestamp' }),
    ].join('\n');
    const response = await post(body, 'application/x-ndjson');
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(answer.accepted).toBe(2);
    expect(answer.rejected.map((entry) => entry.index)).toEqual([2, 4, 5]);
    expect(inner.events.has('sender-1')).toBe(true);
    expect(inner.events.size).toBe(2);
    await post(body, 'application/x-ndjson');
    expect(inner.events.size).toBe(2);
  });

  it('streams a JSON array', async () => {
    const events = Array.from({ length: 20 }, (_, n) => ({ '@timestamp': ts, message: `e${n}` }));
    const response = await post(JSON.stringify(events), 'application/json');
    expect(await response.json()).toEqual({ accepted: 20, rejected: [] });
    expect(inner.events.size).toBe(20);
  });

  it('raw lines: a retried body is idempotent, identical lines in one body stay apart', async () => {
    const body = 'same line\nsame line\nother\n';
    expect(await (await post(body, 'text/plain', '?pipeline=plain')).json()).toEqual({ accepted: 3, rejected: [] });
    expect(inner.events.size).toBe(3);
    await post(body, 'text/plain', '?pipeline=plain');
    expect(inner.events.size).toBe(3);
    await post(`${body}new\n`, 'text/plain', '?pipeline=plain');
    expect(inner.events.size).toBe(4);
  });

  it('refuses raw lines without a known pipeline, and bodies over the limit', async () => {
    expect((await post('x\n', 'text/plain')).status).toBe(400);
    const unknown = await post('x\n', 'text/plain', '?pipeline=nope');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'FL_ERR_USAGE' } });
    expect((await post('x'.repeat(5000), 'text/plain', '?pipeline=plain')).status).toBe(413);
  });

  it('answers once the spool holds the events while the store is down', async () => {
    store.down = true;
    const response = await post(JSON.stringify({ '@timestamp': ts, message: 'spooled' }), 'application/x-ndjson');
    expect(await response.json()).toEqual({ accepted: 1, rejected: [] });
    expect(inner.events.size).toBe(0);
    store.down = false;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inner.events.size).toBe(1);
  });

  it('refuses bodies with 503 once delivery is shutting down, instead of leaving them unanswered', async () => {
    await delivery.close(100);
    const response = await post(JSON.stringify({ '@timestamp': ts, message: 'too late' }), 'application/x-ndjson');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: { code: 'FL_ERR_STORE_UNAVAILABLE', message: 'Faultline is shutting down; send the same body again once it is back (it is idempotent)' },
    });
    expect(inner.events.size).toBe(0);
  });
});
