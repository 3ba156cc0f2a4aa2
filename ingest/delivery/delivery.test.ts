import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultlineError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/event/types.ts';
import type { RawRecord } from '../contract.ts';
import { defaultParse } from '../default-parse.ts';
import { memoryStore, outageStore } from '../testing/stores.ts';
import { deliveryConfigSchema, type DeliveryConfigInput } from './config.ts';
import { Delivery } from './delivery.ts';
import { runAck, type Ack, type Outcome, type RecordRun } from './input.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-delivery-'));
  dirs.push(dir);
  return dir;
}

function record(n: number, text = `line ${n}`): RawRecord {
  return { id: `id-${n}`, text, object: undefined, context: { log: { offset: n } }, receivedAt: Date.UTC(2026, 0, 1) + n };
}

/** Records `first` to `end - 1` as one run, as a syslog connection or a file reader queues those of one read. */
function run(first: number, end: number, ack?: Ack): RecordRun {
  let from = first;
  return {
    ack,
    get count() {
      return end - from;
    },
    get bytes() {
      return (end - from) * 8;
    },
    receivedAt: Date.UTC(2026, 0, 1),
    record: (index) => record(from + index),
    splitFront(count) {
      const front = run(from, from + count, ack);
      from += count;
      return front;
    },
  };
}

/** A run's acknowledgement (runAck) that records each outcome, and how often the run was done. */
function recordedRunAck(count: number) {
  const acks: string[] = [];
  let done = 0;
  const inner = runAck(count, () => done++);
  const ack: Ack = (outcome) => {
    acks.push(outcome.status);
    inner(outcome);
  };
  return { acks, ack, done: () => done };
}

/** A store that fails once, halfway through a batch: when it has taken `after` events. `onEach` sees each event it takes while failing. */
function failingHalfway(inner: ReturnType<typeof memoryStore>, after: number, onEach: (taken: number) => void = () => {}) {
  let failing = true;
  return {
    ...inner,
    async write(batch: Iterable<JsonObject>) {
      const taken: JsonObject[] = [];
      for (const event of batch) {
        taken.push(event);
        if (failing) onEach(taken.length);
        if (failing && taken.length === after) {
          failing = false;
          throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', 'gone halfway through the batch');
        }
      }
      return inner.write(taken);
    },
  };
}

function config(overrides: DeliveryConfigInput = {}) {
  return deliveryConfigSchema.parse({ flush_interval: '20ms', retry_max_backoff: '50ms', ...overrides });
}

/** A delivery into a memory store, with one input 'a' that parses nothing. */
async function memoryDelivery(overrides: DeliveryConfigInput = {}) {
  const store = memoryStore();
  const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config(overrides) });
  return { store, delivery, input: delivery.input('a', 'test', defaultParse) };
}

describe('Delivery', () => {
  it('batches by count and acknowledges each record with its store outcome', async () => {
    const { store, delivery, input } = await memoryDelivery({ batch_max_events: 10 });
    const outcomes: Outcome[] = [];
    for (let n = 0; n < 25; n++) input.submit(record(n), (outcome) => outcomes.push(outcome));
    input.submit(record(3), (outcome) => outcomes.push(outcome));
    await delivery.flush();
    expect(outcomes).toHaveLength(26);
    expect(outcomes.filter((outcome) => outcome.status === 'stored')).toHaveLength(25);
    expect(outcomes.at(-1)).toEqual({ status: 'duplicate' });
    expect(store.writes.every((batch) => batch.length <= 10)).toBe(true);
    expect(store.events.get('id-7')?.['message']).toBe('line 7');
    expect(input.metrics.snapshot()).toMatchObject({ received: 26, stored: 25, duplicate: 1, pending: 0 });
    await delivery.close();
  });

  it('queues runs of records as their events, split where a batch ends, in order, each record acknowledged once', async () => {
    const { store, delivery, input } = await memoryDelivery({ batch_max_events: 10, queue_max_events: 20 });
    const { acks, ack, done } = recordedRunAck(25);
    input.submitRun(run(0, 25, ack));
    expect(delivery.full).toBe(true);
    input.submit(record(25));
    input.submitRun(run(26, 33));
    await delivery.flush();
    // Split over three batches, the run is done once, after its last record.
    expect(acks).toEqual(Array.from({ length: 25 }, () => 'stored'));
    expect(done()).toBe(1);
    expect(store.writes.map((batch) => batch.length)).toEqual([10, 10, 10, 3]);
    expect(store.writes.flat().map((event) => (event['event'] as JsonObject)['id'])).toEqual(Array.from({ length: 33 }, (_, n) => `id-${n}`));
    expect(input.metrics.snapshot()).toMatchObject({ received: 33, stored: 33, pending: 0 });
    await delivery.close();
  });

  it('spools the events of a run the store failed halfway through, each made once more and counted once', async () => {
    const inner = memoryStore();
    let made = 0;
    const store = failingHalfway(inner, 4);
    const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config({ batch_max_events: 6 }) });
    const input = delivery.input('a', 'test', (raw) => {
      made++;
      return raw.id === 'id-2' ? null : defaultParse(raw);
    });
    const { acks, ack, done } = recordedRunAck(8);
    input.submitRun(run(0, 8, ack));
    await delivery.flush();
    // The first batch (records 0-5): 0-4 made as taken (2 dropped), the four kept made again for the
    // spool, 5 made once; then 6-7 written.
    expect(made).toBe(5 + 4 + 1 + 2);
    // Batches are written two at a time: their records are acknowledged in either order.
    expect(acks.sort()).toEqual(['dropped', 'spooled', 'spooled', 'spooled', 'spooled', 'spooled', 'stored', 'stored']);
    expect(done()).toBe(1);
    await waitFor(() => input.metrics.counts.replayed === 5);
    expect([...inner.events.keys()].sort()).toEqual(['id-0', 'id-1', 'id-3', 'id-4', 'id-5', 'id-6', 'id-7']);
    expect(input.metrics.snapshot()).toMatchObject({ received: 8, spooled: 5, stored: 7, pending: 0, dropped: { pipeline: 1 } });
    await delivery.close();
  });

  it('writes a partial batch once the sources are quiet for flush_idle, or after flush_interval when that is off', async () => {
    const early = await memoryDelivery({ flush_interval: '10s', flush_idle: '30ms' });
    for (let n = 0; n < 5; n++) early.input.submit(record(n));
    // flush_interval is 10 s: only the idle flush can write them within 5 s.
    await vi.waitFor(() => expect(early.store.events.size).toBe(5), { timeout: 5000, interval: 5 });
    expect(early.store.writes.map((batch) => batch.length)).toEqual([5]);
    await early.delivery.close();

    const late = await memoryDelivery({ flush_interval: '300ms', flush_idle: '0ms' });
    for (let n = 0; n < 3; n++) late.input.submit(record(n));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Quiet for 100 ms, but the idle flush is off: the batch waits for flush_interval.
    expect(late.store.writes).toHaveLength(0);
    await vi.waitFor(() => expect(late.store.events.size).toBe(3), { timeout: 5000, interval: 5 });
    expect(late.store.writes.map((batch) => batch.length)).toEqual([3]);
    await late.delivery.close();
  });

  it('keeps the record id as event.id whatever the pipeline sets, and tags pipeline failures instead of dropping', async () => {
    const store = memoryStore();
    const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config() });
    const sneaky = delivery.input('sneaky', 'test', (raw) => ({ ...defaultParse(raw), event: { id: 'other', kind: 'event' } }));
    const broken = delivery.input('broken', 'test', () => {
      throw new Error('grok failed');
    });
    const dropping = delivery.input('dropping', 'test', () => null);
    const dropped: Outcome[] = [];
    sneaky.submit(record(1));
    broken.submit(record(2));
    dropping.submit(record(3), (outcome) => dropped.push(outcome));
    await delivery.flush();
    expect(store.events.get('id-1')?.['event']).toEqual({ id: 'id-1', kind: 'event' });
    expect(store.events.get('id-2')).toMatchObject({ message: 'line 2', tags: ['_pipeline_error'], error: { message: 'grok failed' } });
    expect(dropped).toEqual([{ status: 'dropped' }]);
    expect(broken.metrics.errors.processing).toBe(1);
    expect(dropping.metrics.dropped.pipeline).toBe(1);
    await delivery.close();
  });

  it('reports rejections with the reason', async () => {
    const store = memoryStore();
    const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config() });
    const input = delivery.input('a', 'test', (raw) => ({ message: raw.text }));
    const outcomes: Outcome[] = [];
    input.submit(record(1), (outcome) => outcomes.push(outcome));
    await delivery.flush();
    expect(outcomes).toEqual([{ status: 'rejected', reason: "field '@timestamp' is required" }]);
    await delivery.close();
  });

  it('applies backpressure: ready() waits while the queue is full', async () => {
    const inner = memoryStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store = { ...inner, write: (batch: Iterable<JsonObject>) => inner.write(batch).then(async (outcomes) => (await gate, outcomes)) };
    const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config({ queue_max_events: 100, batch_max_events: 50, max_in_flight: 1 }) });
    const input = delivery.input('a', 'test', defaultParse);
    for (let n = 0; n < 160; n++) input.submit(record(n));
    expect(input.full).toBe(true);
    let resumed = false;
    const waiting = input.ready().then(() => (resumed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resumed).toBe(false);
    release();
    await waiting;
    await delivery.flush();
    expect(inner.events.size).toBe(160);
    await delivery.close();
  });

  it('writes up to max_in_flight batches at once, and acknowledges each when its own write answers', async () => {
    const inner = memoryStore();
    let writing = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const store = {
      ...inner,
      write: async (batch: Iterable<JsonObject>) => {
        const events = [...batch];
        most = Math.max(most, ++writing);
        await new Promise<void>((resolve) => gates.push(resolve));
        writing--;
        return inner.write(events);
      },
    };
    const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config({ batch_max_events: 10, max_in_flight: 3 }) });
    const input = delivery.input('a', 'test', defaultParse);
    const acked: number[] = [];
    for (let n = 0; n < 100; n++) input.submit(record(n), () => acked.push(n));
    while (gates.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(most).toBe(3);
    // The second batch's write answers first: its events are acknowledged, the first's are not yet.
    gates.splice(1, 1)[0]?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acked.slice(0, 10)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const drain = setInterval(() => gates.shift()?.(), 1);
    await delivery.flush();
    clearInterval(drain);
    expect(most).toBe(3);
    expect(inner.events.size).toBe(100);
    expect(new Set(acked).size).toBe(100);
    await delivery.close();
  });

  it('spools a batch the store refused as the same events, made again from its records, counting failures and drops once', async () => {
    const inner = memoryStore();
    const store = outageStore(inner);
    const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config({ batch_max_events: 10 }) });
    let calls = 0;
    // Records 0-3 fail in the pipeline, 4 is dropped, the rest parse; the store took none, so each is made once, for the spool.
    const input = delivery.input('a', 'test', (raw) => {
      calls++;
      const n = Number(raw.id.slice(3));
      if (n < 4) throw new Error(`broken ${n}`);
      if (n === 4) return null;
      return { ...defaultParse(raw), n };
    });
    const outcomes = new Map<number, string>();
    store.down = true;
    for (let n = 0; n < 10; n++) input.submit(record(n), (outcome) => outcomes.set(n, outcome.status));
    await delivery.flush();
    expect(store.failedWrites).toBeGreaterThan(0);
    expect(calls).toBe(10);
    expect(outcomes.get(4)).toBe('dropped');
    expect([...outcomes.values()].filter((status) => status === 'spooled')).toHaveLength(9);
    expect(input.metrics.errors.processing).toBe(4);
    expect(input.metrics.dropped.pipeline).toBe(1);
    store.down = false;
    await waitFor(() => inner.events.size === 9);
    expect(inner.events.get('id-7')).toMatchObject({ message: 'line 7', n: 7, event: { id: 'id-7' } });
    expect(inner.events.get('id-2')).toMatchObject({ message: 'line 2', tags: ['_pipeline_error'], error: { message: 'broken 2' } });
    expect(input.metrics.snapshot()).toMatchObject({ received: 10, pending: 0 });
    await delivery.close();
  });

  it('makes each event as the store takes it; when the store fails halfway, spools every one, counted once', async () => {
    const inner = memoryStore();
    let made = 0;
    const ahead: number[] = [];
    // Events made beyond the ones taken so far: none when they are made as they are taken.
    const store = failingHalfway(inner, 5, (taken) => ahead.push(made - taken));
    const delivery = await Delivery.open({ store, dataDir: tempDir(), config: config({ batch_max_events: 10 }) });
    const input = delivery.input('a', 'test', (raw) => {
      made++;
      return Number(raw.id.slice(3)) === 8 ? null : defaultParse(raw);
    });
    const outcomes = new Map<number, string>();
    for (let n = 0; n < 10; n++) input.submit(record(n), (outcome) => outcomes.set(n, outcome.status));
    await delivery.flush();
    expect(ahead).toEqual([0, 0, 0, 0, 0]);
    // The 5 taken are made again for the spool (not counted again), the 5 never taken once.
    expect(made).toBe(5 + 5 + 5);
    expect([...outcomes].filter(([, status]) => status === 'spooled').map(([n]) => n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 9]);
    expect(outcomes.get(8)).toBe('dropped');
    await waitFor(() => input.metrics.counts.replayed === 9);
    expect(inner.events.size).toBe(9);
    expect(input.metrics.snapshot()).toMatchObject({ received: 10, spooled: 9, stored: 9, pending: 0, dropped: { pipeline: 1 } });
    await delivery.close();
  });

  it('spools while the store is down, acknowledges once durable, and replays in order without loss or duplicates', async () => {
    const inner = memoryStore();
    const store = outageStore(inner);
    const dataDir = tempDir();
    const delivery = await Delivery.open({
      store,
      dataDir,
      config: config({ batch_max_events: 100, queue_max_events: 1000, spool: { segment_bytes: 64 * 1024 } }),
    });
    const input = delivery.input('a', 'test', defaultParse);
    const acked = new Set<number>();
    const heapBefore = process.memoryUsage().heapUsed;
    store.down = true;
    for (let n = 0; n < 20_000; n++) {
      await input.ready();
      input.submit(record(n, `line ${n} ${'x'.repeat(200)}`), (outcome) => {
        expect(outcome.status).toBe('spooled');
        acked.add(n);
      });
    }
    await delivery.flush();
    expect(acked.size).toBe(20_000);
    expect(inner.events.size).toBe(0);
    expect(readdirSync(join(dataDir, 'spool')).length).toBeGreaterThan(10);
    // The queue is bounded: 20,000 events of ~250 bytes went to disk, not to the heap.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(40 * 1024 * 1024);
    expect(input.metrics.counts.spooled).toBe(20_000);

    store.down = false;
    for (let n = 20_000; n < 20_500; n++) input.submit(record(n));
    await waitFor(() => inner.events.size === 20_500);
    const order = inner.writes.flat().map((event) => Number(String((event['event'] as JsonObject)['id']).slice(3)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Submitted while the spool still held the outage's batches, the last 500 queue behind them in the spool.
    expect(input.metrics.counts).toMatchObject({ stored: 20_500, duplicate: 0, replayed: input.metrics.counts.spooled });
    await waitFor(() => readdirSync(join(dataDir, 'spool')).length === 0);
    await delivery.close();
  });

  it('replays a spool left by a previous run, after a torn write', async () => {
    const inner = memoryStore();
    const store = outageStore(inner);
    const dataDir = tempDir();
    store.down = true;
    const first = await Delivery.open({ store, dataDir, config: config() });
    const input = first.input('a', 'test', defaultParse);
    for (let n = 0; n < 50; n++) input.submit(record(n));
    await first.flush();
    await first.close();
    const [segment] = readdirSync(join(dataDir, 'spool'));
    const { appendFileSync } = await import('node:fs');
    appendFileSync(join(dataDir, 'spool', segment as string), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));

    store.down = false;
    const second = await Delivery.open({ store, dataDir, config: config() });
    await waitFor(() => inner.events.size === 50);
    await second.close();
    expect(readdirSync(join(dataDir, 'spool'))).toEqual([]);
  });

  it('slows sources when the spool is full too, and gives up only at the shutdown deadline', async () => {
    const store = outageStore(memoryStore());
    store.down = true;
    const delivery = await Delivery.open({
      store,
      dataDir: tempDir(),
      config: config({ batch_max_events: 10, queue_max_events: 20, spool: { max_bytes: 4096, segment_bytes: 1024 } }),
    });
    const input = delivery.input('a', 'test', defaultParse);
    for (let n = 0; n < 200; n++) input.submit(record(n, 'y'.repeat(100)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(input.full).toBe(true);
    expect(input.metrics.counts.spooled).toBeLessThan(200);
    await delivery.close(100);
    expect(input.metrics.counts.spooled + input.metrics.dropped.shutdown).toBe(200);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
