/**
 * The query language end to end on both stores: every query of the table and every example in
 * docs/query-language.md is parsed, run on each store, and checked against the reference evaluator
 * on the contract dataset.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/contract.ts';
import { elasticsearchHarness, embeddedHarness } from '../../store/testing/backends.ts';
import { DATASET_END, DATASET_START, generateEvents } from '../../store/testing/dataset.ts';
import { mustRunElasticsearch } from '../../store/testing/elasticsearch-target.ts';
import { ReferenceStore } from '../../store/testing/reference.ts';
import { parseQuery } from './parse.ts';
import { queryTable } from './query-table.ts';

const dataset = generateEvents(10_000);
const reference = new ReferenceStore();
reference.add(dataset);
const range = { from: DATASET_START, to: DATASET_END };
const NOW = DATASET_END;

const doc = readFileSync(new URL('../../docs/query-language.md', import.meta.url), 'utf8');
const examplesBlock = doc.slice(doc.indexOf('<!-- examples:start -->'), doc.indexOf('<!-- examples:end -->'));
const examples = [...examplesBlock.matchAll(/^\| `(.+?)` \|/gm)].map((match) => (match[1] as string).replaceAll('\\|', '|'));

describe('query table', () => {
  it('has at least 150 queries and every documented example', () => {
    expect(queryTable.length).toBeGreaterThanOrEqual(150);
    expect(new Set(queryTable).size).toBe(queryTable.length);
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  it('has documented examples that all find something', () => {
    for (const text of examples) {
      const query = parseQuery(text, { now: NOW, fieldType: (name) => reference.typeOf(name) });
      expect(reference.search({ query, range, size: 1 }).total.value, text).toBeGreaterThan(0);
    }
  });
});

for (const harness of [embeddedHarness(), elasticsearchHarness()]) {
  const run = !harness.unavailable || mustRunElasticsearch();
  describe.runIf(run)(`query language on ${harness.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      if (harness.unavailable) throw new Error(harness.unavailable);
      store = await harness.open('language');
      await store.write(dataset);
      await store.refresh();
    }, 300_000);
    afterAll(async () => {
      await store?.close();
      await harness.dispose();
    });

    it.each([...queryTable.map((text) => ['table', text]), ...examples.map((text) => ['docs', text])])('%s: %s', async (_source, text) => {
      const query = parseQuery(text, { now: NOW, fieldType: (name) => reference.typeOf(name) });
      const expected = reference.search({ query, range, size: 10_000, trackTotal: 100_000 });
      const actual = await store.search({ query, range, size: 10_000, trackTotal: 100_000 });
      expect(actual.total).toEqual(expected.total);
      expect(actual.events.map((event) => event.event.id)).toEqual(expected.events.map((event) => event.event.id));
    });
  });
}
