/**
 * The store contract suite: one file, run against every backend, each answer checked against the
 * reference evaluator (store/testing/reference.ts) on the same 10,000 events, and the backends'
 * answers compared with each other at the end.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultlineEvent, JsonObject } from '../core/event/types.ts';
import { DEAD_LETTER_KIND, DUPLICATE, STORED, type Store } from './contract.ts';
import { eventContext, sourceOf } from './context.ts';
import { compareSortKeys, sortKeyOf } from './cursor.ts';
import { q } from './query.ts';
import { scan } from './scan.ts';
import { elasticsearchHarness, embeddedHarness, type StoreHarness } from './testing/backends.ts';
import { contractQueryTable } from './testing/contract-queries.ts';
import { DATASET_END, DATASET_START, generateEvents } from './testing/dataset.ts';
import { mustRunElasticsearch } from './testing/elasticsearch-target.ts';
import { ReferenceStore } from './testing/reference.ts';

// Live heap, not garbage waiting to be collected: memory checks collect first.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const liveHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const FULL = { from: DATASET_START, to: DATASET_END };
const dataset = generateEvents(10_000);
const reference = new ReferenceStore();
reference.add(dataset);

const sample = (index: number): FaultlineEvent => dataset[index] as FaultlineEvent;
const contractQueries = contractQueryTable(dataset);

const answers = new Map<string, Map<string, unknown>>();

function record(backend: string, key: string, answer: unknown): void {
  let byKey = answers.get(backend);
  if (!byKey) answers.set(backend, (byKey = new Map()));
  byKey.set(key, answer);
}

const ids = (events: readonly FaultlineEvent[]) => events.map((event) => event.event.id);

async function writeAll(store: Store, events: readonly FaultlineEvent[], batch = 5000): Promise<void> {
  for (let i = 0; i < events.length; i += batch) {
    const outcomes = await store.write(events.slice(i, i + batch));
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failed).toEqual([]);
  }
  await store.refresh();
}

function contractSuite(harness: StoreHarness): void {
  let store: Store;

  beforeAll(async () => {
    store = await harness.open('main');
    const outcomes = await store.write(dataset);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(dataset.map(() => 'stored'));
    await store.refresh();
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    await harness.dispose();
  });

  it('stores each event once when the same batch is written again', async () => {
    const again = await store.write(dataset.slice(0, 2000));
    expect(new Set(again.map((outcome) => outcome.status))).toEqual(new Set(['duplicate']));
    const inOneBatch = await store.write([sample(5), sample(5)]);
    expect(inOneBatch.map((outcome) => outcome.status)).toEqual(['duplicate', 'duplicate']);
    await store.refresh();
    const all = await store.search({ query: q.all(), range: FULL, size: 1, trackTotal: 100_000 });
    expect(all.total).toEqual({ value: 10_000, relation: 'eq' });
  });

  it('rejects an invalid event with its reason, keeps the rest, and holds it as a dead letter', async () => {
    const bad = { '@timestamp': '2026-03-01T10:00:00.000Z', event: { id: 'bad-pid-1' }, process: { pid: 'not-a-number' }, message: 'x' };
    const good = { '@timestamp': '2026-03-04T10:00:00.000Z', event: { id: 'contract-good-1' }, message: 'outside the dataset range' };
    const outcomes = await store.write([bad, good]);
    expect(outcomes[0]).toEqual({ id: 'bad-pid-1', status: 'rejected', reason: expect.stringContaining("field 'process.pid'") });
    expect(outcomes[1]).toEqual({ status: 'stored' });
    const letters = await store.documents.list(DEAD_LETTER_KIND);
    expect(letters.map((letter) => letter.doc['reason'])).toContainEqual(expect.stringContaining("field 'process.pid'"));
  });

  it('takes the events from any iterable, each once, and answers for each in order', async () => {
    let made = 0;
    // Outside the dataset's range, as the event above: the queries below do not see them.
    function* events(): Generator<JsonObject> {
      for (let i = 0; i < 600; i++) {
        made++;
        const id = i === 450 ? 'iterable-0' : i === 300 ? 'iterable-bad' : `iterable-${i}`;
        yield { '@timestamp': '2026-03-04T11:00:00.000Z', event: { id }, message: `from an iterable ${i}`, ...(i === 300 ? { process: { pid: 'x' } } : {}) };
      }
    }
    const outcomes = await store.write(events());
    expect(made).toBe(600);
    expect(outcomes).toHaveLength(600);
    // Stored and duplicate events are answered with the shared outcomes: no object per event.
    expect(outcomes[0]).toBe(STORED);
    expect(outcomes[300]).toMatchObject({ id: 'iterable-bad', status: 'rejected' });
    expect(outcomes[450]).toBe(DUPLICATE);
    expect(outcomes[599]).toBe(STORED);
    expect(outcomes.filter((outcome) => outcome.status === 'stored')).toHaveLength(598);
  });

  describe.each(Object.entries(contractQueries))('query: %s', (name, query) => {
    it('finds what the reference finds, newest first', async () => {
      const expected = reference.search({ query, range: FULL, size: 10_000, trackTotal: 100_000 });
      const actual = await store.search({ query, range: FULL, size: 10_000, trackTotal: 100_000 });
      expect(actual.total).toEqual(expected.total);
      expect(ids(actual.events)).toEqual(ids(expected.events));
      record(harness.name, `query ${name}`, ids(actual.events));
    });
  });

  it('restricts to the time range [from, to)', async () => {
    const range = { from: Date.parse(sample(2500)['@timestamp']), to: Date.parse(sample(2600)['@timestamp']) };
    const expected = reference.search({ query: q.term(null, 'failed'), range, size: 10_000 });
    const actual = await store.search({ query: q.term(null, 'failed'), range, size: 10_000 });
    expect(ids(actual.events)).toEqual(ids(expected.events));
    expect(actual.events.every((event) => Date.parse(event['@timestamp']) >= range.from && Date.parse(event['@timestamp']) < range.to)).toBe(true);
  });

  it('sorts newest first by default, ties broken by event.id, and oldest first on request', async () => {
    const desc = await store.search({ query: q.all(), range: FULL, size: 500 });
    const keys = desc.events.map(sortKeyOf);
    expect(keys.every((key, i) => i === 0 || compareSortKeys(keys[i - 1] as typeof key, key) > 0)).toBe(true);
    const asc = await store.search({ query: q.all(), range: FULL, size: 500, sort: 'asc' });
    expect(ids(asc.events)).toEqual(ids(reference.search({ query: q.all(), range: FULL, size: 500, sort: 'asc' }).events));
  });

  it('counts exactly up to trackTotal, then answers a lower bound', async () => {
    const bounded = await store.search({ query: q.all(), range: FULL, size: 10, trackTotal: 1000 });
    expect(bounded.total).toEqual({ value: 1000, relation: 'gte' });
    const small = await store.search({ query: q.term('host.name', 'cache-1'), range: FULL, size: 10, trackTotal: 100_000 });
    expect(small.total).toEqual(reference.search({ query: q.term('host.name', 'cache-1'), range: FULL, size: 10, trackTotal: 100_000 }).total);
  });

  it.each(['desc', 'asc'] as const)('pages with the cursor through every hit exactly once (%s)', async (sort) => {
    const query = q.or(q.term(null, 'failed'), q.term('log.level', 'error'));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Store['search']>> = await store.search({ query, range: FULL, size: 333, sort, cursor });
      seen.push(...ids(page.events));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(ids(reference.search({ query, range: FULL, size: 10_000, sort }).events));
  });

  it('draws a histogram whose buckets sum to the total', async () => {
    const query = q.term(null, 'failed');
    const request = { query, range: { from: DATASET_START + 90 * 60_000, to: DATASET_END - 7 * 60_000 }, intervalMs: HOUR };
    const actual = await store.histogram(request);
    expect(actual).toEqual(reference.histogram(request));
    const total = await store.search({ query, range: request.range, size: 1, trackTotal: 100_000 });
    expect(actual.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(total.total.value);
    record(harness.name, 'histogram', actual);
  });

  it('lists the fields that hold values, with their types', async () => {
    const actual = await store.fields();
    expect(actual).toEqual(reference.fields());
    record(harness.name, 'fields', actual);
  });

  it.each([
    ['host.name', q.all()],
    ['http.response.status_code', q.all()],
    ['tags', q.all()],
    ['user.name', q.term(null, 'failed')],
    ['source.ip', q.term('host.name', 'db-2')],
    ['app.region', q.all()],
  ] as const)('gives top values of %s', async (field, query) => {
    const request = { field, query, range: FULL, size: 5 };
    const actual = await store.topValues(request);
    expect(actual).toEqual(reference.topValues(request));
    record(harness.name, `top ${field}`, actual);
  });

  it('gets an event by id, and nothing for an unknown id', async () => {
    expect(await store.getEvent(sample(1234).event.id)).toEqual(sample(1234));
    expect(await store.getEvent('no-such-event')).toBeUndefined();
  });

  it('gives the context of an event from the same source', async () => {
    const target = dataset.find((event, i) => i > 3000 && sourceOf(event)?.field === 'log.file.path') as FaultlineEvent;
    const source = sourceOf(target);
    const sameSource = reference.events
      .filter((event) => JSON.stringify(sourceOf(event)) === JSON.stringify(source))
      .sort((a, b) => compareSortKeys(sortKeyOf(a), sortKeyOf(b)));
    const at = sameSource.findIndex((event) => event.event.id === target.event.id);
    const context = await eventContext(store, target.event.id, { before: 5, after: 7 });
    expect(context.source).toEqual(source);
    expect(ids(context.before)).toEqual(ids(sameSource.slice(at - 5, at)));
    expect(ids(context.after)).toEqual(ids(sameSource.slice(at + 1, at + 8)));
  });

  it('aggregates counts and distinct counts per group per window', async () => {
    const byHost = { query: q.all(), range: FULL, groupBy: ['host.name'], windowMs: 6 * HOUR };
    expect(await store.aggregate(byHost)).toEqual(reference.aggregate(byHost));
    const distinct = { query: q.term(null, 'failed'), range: FULL, groupBy: ['host.name', 'user.name'], windowMs: DAY, distinctField: 'source.ip' };
    const actual = await store.aggregate(distinct);
    expect(actual).toEqual(reference.aggregate(distinct));
    record(harness.name, 'aggregate', actual);
  });

  it('keeps documents (incidents, rule state, checkpoints) by kind and id', async () => {
    await store.documents.put('checkpoint', 'b', { offset: 2 });
    await store.documents.put('checkpoint', 'a', { offset: 1, nested: { ok: true } });
    await store.documents.put('checkpoint', 'a', { offset: 3 });
    expect(await store.documents.get('checkpoint', 'a')).toEqual({ offset: 3 });
    expect(await store.documents.list('checkpoint')).toEqual([
      { id: 'a', doc: { offset: 3 } },
      { id: 'b', doc: { offset: 2 } },
    ]);
    expect(await store.documents.list('checkpoint', { afterId: 'a' })).toEqual([{ id: 'b', doc: { offset: 2 } }]);
    expect(await store.documents.delete('checkpoint', 'a')).toBe(true);
    expect(await store.documents.delete('checkpoint', 'a')).toBe(false);
    expect(await store.documents.get('checkpoint', 'a')).toBeUndefined();
  });

  it('pages through 100,000 hits without gaps or repeats while writes go on', async () => {
    const paging = await harness.open('paging');
    try {
      const existing = generateEvents(100_000, 77);
      await writeAll(paging, existing);
      let writing = true;
      let extra = 0;
      const writer = (async () => {
        for (let round = 0; writing && round < 500; round++) {
          const more = generateEvents(200, 1000 + round);
          await paging.write(more);
          extra += more.length;
          await paging.refresh();
        }
      })();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<Store['search']>> = await paging.search({ query: q.all(), range: FULL, size: 1000, cursor, trackTotal: false });
        seen.push(...ids(page.events));
        cursor = page.cursor;
      } while (cursor);
      writing = false;
      await writer;
      expect(extra).toBeGreaterThan(0);
      expect(new Set(seen).size).toBe(seen.length);
      const seenSet = new Set(seen);
      // Every event stored before paging began was returned; events written meanwhile may or may not be.
      expect(existing.filter((event) => !seenSet.has(event.event.id)).map((event) => event.event.id)).toEqual([]);
      expect(seen.length).toBeGreaterThanOrEqual(existing.length);
    } finally {
      await paging.close();
    }
  }, 600_000);

  it('scans 100,000 events in order in constant memory', async () => {
    const big = await harness.open('scan');
    try {
      const chunks = 20;
      const span = (DATASET_END - DATASET_START) / chunks;
      for (let chunk = 0; chunk < chunks; chunk++) {
        const from = DATASET_START + chunk * span;
        await big.write(generateEvents(5000, 500 + chunk, from, from + span));
      }
      await big.refresh();
      const baseline = liveHeap();
      let peak = baseline;
      let count = 0;
      let previous: ReturnType<typeof sortKeyOf> | null = null;
      let ordered = true;
      for await (const event of scan(big, { query: q.all(), range: FULL, pageSize: 1000 })) {
        const key = sortKeyOf(event);
        if (previous && compareSortKeys(previous, key) >= 0) ordered = false;
        previous = key;
        if (++count % 10_000 === 0) peak = Math.max(peak, liveHeap());
      }
      expect(count).toBe(100_000);
      expect(ordered).toBe(true);
      // 100,000 events held at once would take well over 100 MB of heap; a page at a time stays small.
      expect(peak - baseline).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await big.close();
    }
  }, 600_000);

  it('keeps events across closing and reopening', async () => {
    const first = await harness.open('persist');
    await writeAll(first, dataset.slice(0, 1000));
    await first.documents.put('rule_state', 'r1', { fired: 2 });
    await first.close();
    const again = await harness.reopen('persist');
    try {
      const all = await again.search({ query: q.all(), range: FULL, size: 1, trackTotal: 100_000 });
      expect(all.total).toEqual({ value: 1000, relation: 'eq' });
      expect(await again.getEvent(sample(999).event.id)).toEqual(sample(999));
      expect(await again.documents.get('rule_state', 'r1')).toEqual({ fired: 2 });
    } finally {
      await again.close();
    }
  }, 300_000);

  it('deletes whole days past retention', async () => {
    const retained = await harness.open('retention');
    try {
      await writeAll(retained, dataset);
      await retained.deleteBefore(DATASET_START + DAY);
      await retained.refresh();
      const left = await retained.search({ query: q.all(), range: FULL, size: 1, sort: 'asc', trackTotal: 100_000 });
      const expected = dataset.filter((event) => Date.parse(event['@timestamp']) >= DATASET_START + DAY).length;
      expect(left.total).toEqual({ value: expected, relation: 'eq' });
      expect(Date.parse((left.events[0] as FaultlineEvent)['@timestamp'])).toBeGreaterThanOrEqual(DATASET_START + DAY);
    } finally {
      await retained.close();
    }
  }, 300_000);

  it('reports its health', async () => {
    expect(await store.health()).toMatchObject({ backend: harness.name, status: 'ok' });
  });
}

for (const harness of [embeddedHarness(), elasticsearchHarness()]) {
  if (harness.unavailable && !mustRunElasticsearch()) {
    describe.skip(`store contract: ${harness.name} (${harness.unavailable})`, () => {
      it('needs its backend', () => undefined);
    });
  } else if (harness.unavailable) {
    describe(`store contract: ${harness.name}`, () => {
      it('has its backend available (required in CI)', () => {
        throw new Error(harness.unavailable ?? 'unavailable');
      });
    });
  } else {
    describe(`store contract: ${harness.name}`, () => contractSuite(harness));
  }
}

describe('the backends agree', () => {
  it('gives identical answers from every backend that ran', () => {
    const [first, ...others] = [...answers.entries()];
    if (!first) throw new Error('no backend ran');
    for (const [name, byKey] of others) {
      expect({ name, answers: Object.fromEntries(byKey) }).toEqual({ name, answers: Object.fromEntries(first[1]) });
    }
    expect(first[1].size).toBeGreaterThan(Object.keys(contractQueries).length);
  });
});
