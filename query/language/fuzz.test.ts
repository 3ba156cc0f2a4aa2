/**
 * Fuzzing the query language: 100,000 random and mutated queries through the parser and through
 * the API. Nothing may crash or hang; every refusal is a 400 that carries a position.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../core/errors.ts';
import { silentLogger } from '../../core/log.ts';
import type { Store } from '../../store/contract.ts';
import { openEmbeddedStore } from '../../store/embedded/index.ts';
import { generateEvents, seededRandom } from '../../store/testing/dataset.ts';
import { createApp } from '../api/app.ts';
import { parseQuery } from './parse.ts';
import { queryTable } from './query-table.ts';

const COUNT = 100_000;
const pieces = [
  'a', 'failed', 'host.name', 'message', 'http.response.status_code', '@timestamp', 'tags', 'not', 'and', 'or', 'NOT', 'AND', 'OR',
  ':', '(', ')', '"', '\\', '*', '?', '>', '>=', '<', '<=', '{', '}', ' ', '  ', '\t', '\n', '500', '-1', '1e9', 'now-15m', 'now/d',
  '2026-03-01', '10.0.0.1', '10.0.0.0/8', 'é', '日本', '😀', '\u0000', '\u202e', "'", ',', ';', '=', '/', '.', '..', 'x'.repeat(300),
];

/** Random sequences of pieces, and the table's queries with characters inserted, deleted or swapped. */
export function fuzzQueries(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const length = 1 + Math.floor(random() * 12);
      queries.push(Array.from({ length }, () => pick(pieces)).join(random() < 0.5 ? ' ' : ''));
    } else {
      let text = pick(queryTable);
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const roll = random();
        if (roll < 0.4) text = text.slice(0, at) + pick(pieces) + text.slice(at);
        else if (roll < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at) + text.slice(at).split('').reverse().join('');
      }
      queries.push(text);
    }
  }
  return queries;
}

const queries = fuzzQueries(COUNT);

/** Percent-encodes the UTF-8 bytes of any string, lone surrogates included (they become U+FFFD). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

describe('query language fuzzing', () => {
  it(`parses or refuses with a position each of ${COUNT} queries`, () => {
    let refused = 0;
    for (const text of queries) {
      try {
        parseQuery(text);
      } catch (error) {
        if (!isFaultlineError(error) || error.status !== 400 || typeof error.details['position'] !== 'number') {
          throw new Error(`query ${JSON.stringify(text)} failed badly: ${String(error)}`, { cause: error });
        }
        refused++;
      }
    }
    // Both outcomes must occur, or the generator is not exercising the parser.
    expect(refused).toBeGreaterThan(COUNT / 10);
    expect(refused).toBeLessThan(COUNT);
  });

  describe('through the API', () => {
    let store: Store;
    let app: ReturnType<typeof createApp>;
    beforeAll(async () => {
      store = await openEmbeddedStore({ file: join(mkdtempSync(join(tmpdir(), 'faultline-fuzz-')), 'fuzz.db'), logger: silentLogger });
      await store.write(generateEvents(200));
      app = createApp({ store, logger: silentLogger, version: 'fuzz' });
    });
    afterAll(async () => {
      await store.close();
    });

    it(`answers each of ${COUNT} queries with 200 or a 400 that has a position`, async () => {
      const statuses = new Map<number, number>();
      // Every tenth query goes as raw, possibly malformed percent-escapes, as a careless client may send them.
      const raw = ['%', '%E0%A4%A', '%FF%FE', '%00', '%ZZ'];
      for (const [i, text] of queries.entries()) {
        const encoded = i % 10 === 0 ? `${percentEncode(text)}${raw[i % raw.length]}` : percentEncode(text);
        const response = await app.request(`/api/search?size=5&from=2026-01-01&to=2027-01-01&q=${encoded}`);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const body = (await response.json()) as { error?: { position?: unknown } };
        if (response.status === 400 && typeof body.error?.position !== 'number') {
          throw new Error(`query ${JSON.stringify(text)}: 400 without a position: ${JSON.stringify(body)}`);
        }
        if (response.status !== 200 && response.status !== 400) {
          throw new Error(`query ${JSON.stringify(text)}: status ${response.status}: ${JSON.stringify(body)}`);
        }
      }
      expect([...statuses.keys()].sort()).toEqual([200, 400]);
    }, 300_000);
  });
});
