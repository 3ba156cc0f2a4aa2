/**
 * Shared steps of the rotation tests: a file source on a real store (the embedded one, and
 * Elasticsearch where the tests have it), a writer that appends numbered lines in chunks while the
 * source reads, and the exactly-once check.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Store } from '../../store/contract.ts';
import { openStore } from '../../store/open.ts';
import { q } from '../../store/query.ts';
import { scan } from '../../store/scan.ts';
import { fileFixture, type FileFixture } from '../../ingest/testing/file-fixture.ts';
import type { IngestBackend } from './backends.ts';

export const LINES = 50_000;

export interface Scenario {
  fixture: FileFixture;
  store: Store;
  app: string;
  /** Appends lines [from, to) to a file, in chunks, yielding to the reader between them. */
  write(path: string, from: number, to: number): Promise<void>;
  /** Waits until the store holds `count` events. */
  stored(count: number): Promise<void>;
  /** Every line 0..LINES-1 stored exactly once. */
  check(): Promise<void>;
  dispose(): Promise<void>;
}

export async function scenario(name: string, backend: IngestBackend): Promise<Scenario> {
  const root = mkdtempSync(join(tmpdir(), `faultline-rotation-${name}-`));
  const store = await openStore(backend.storeConfig(join(root, 'store'), name));
  const fixture = fileFixture(store, { paths: ['app.log*'] });
  mkdirSync(fixture.logs, { recursive: true });
  const app = join(fixture.logs, 'app.log');
  // After a refresh, so that Elasticsearch shows every write it acknowledged.
  const count = async () => {
    await store.refresh();
    return (await store.search({ query: q.all(), range: { from: 0, to: Date.now() + 86_400_000 }, size: 1, trackTotal: 1_000_000 })).total.value;
  };
  return {
    fixture,
    store,
    app,
    async write(path, from, to) {
      for (let start = from; start < to; start += 1000) {
        let text = '';
        for (let n = start; n < Math.min(start + 1000, to); n++) text += `${name} line ${String(n).padStart(6, '0')}\n`;
        appendFileSync(path, text);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async stored(expected) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const total = await count();
        if (total >= expected) return;
        if (Date.now() > deadline) throw new Error(`${name}: ${total} of ${expected} events stored`);
        // Counting competes with the writes for the one thread: not too often.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async check() {
      // Give a duplicate the time to show up, if one were coming.
      await new Promise((resolve) => setTimeout(resolve, 250));
      await store.refresh();
      const seen = new Map<string, number>();
      for await (const event of scan(store, { query: q.all(), range: { from: 0, to: Date.now() + 86_400_000 }, pageSize: 10_000 })) {
        const message = String(event.message);
        seen.set(message, (seen.get(message) ?? 0) + 1);
      }
      const missing: number[] = [];
      for (let n = 0; n < LINES && missing.length < 5; n++) if (!seen.has(`${name} line ${String(n).padStart(6, '0')}`)) missing.push(n);
      expect(missing, `${name}: missing lines`).toEqual([]);
      expect([...seen].filter(([, times]) => times > 1).slice(0, 5), `${name}: duplicated lines`).toEqual([]);
      expect(seen.size, `${name}: events stored`).toBe(LINES);
    },
    async dispose() {
      await fixture.stop();
      await store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
