/**
 * `faultline ingest` logic on the real embedded store: files (plain and gzip) read once with a
 * progress bar, a rerun reads nothing again; prints the file -> store rate.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { backfill } from '../../ingest/backfill.ts';
import { backfillDelivery, ingestConfigSchema } from '../../ingest/config.ts';
import { defaultParse } from '../../ingest/default-parse.ts';
import { memoryStore } from '../../ingest/testing/stores.ts';
import { openStore } from '../../store/open.ts';
import { q } from '../../store/query.ts';

const root = mkdtempSync(join(tmpdir(), 'faultline-backfill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LINES = 100_000;

describe('backfill', () => {
  it('reads files once, gzip included, with progress, and a rerun adds nothing', async () => {
    const logs = join(root, 'logs');
    mkdirSync(logs, { recursive: true });
    let text = '';
    for (let n = 0; n < LINES / 2; n++) text += `2026-01-01T00:00:00Z INFO request ${n} served in ${n % 97} ms\n`;
    writeFileSync(join(logs, 'access.log'), text);
    writeFileSync(join(logs, 'access.log.1.gz'), gzipSync(text.replaceAll('request', 'older')));
    const dataDir = join(root, 'data');
    const store = await openStore({ type: 'embedded', path: dataDir });
    try {
      const progress = new PassThrough();
      let output = '';
      progress.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const first = await backfill({ globs: [`${logs}/*`], store, dataDir, resolveParse: () => defaultParse, progress });
      expect(first).toMatchObject({ files: 2, lines: LINES, stored: LINES, duplicate: 0, rejected: 0 });
      expect(output).toContain(`${LINES} lines`);
      const total = await store.search({ query: q.all(), range: { from: 0, to: Date.now() + 86_400_000 }, size: 1, trackTotal: 1_000_000 });
      expect(total.total.value).toBe(LINES);
      process.stderr.write(`backfill: ${LINES} lines (plain + gzip) -> embedded store in ${first.elapsedMs} ms = ${Math.round(LINES / (first.elapsedMs / 1000))} lines/s\n`);

      const second = await backfill({ globs: [`${logs}/*`], store, dataDir, resolveParse: () => defaultParse, progress: false });
      expect(second).toMatchObject({ files: 2, lines: 0, stored: 0 });
    } finally {
      await store.close();
    }
  }, 60_000);

  it("delivers with the configuration's ingest.delivery, in batches of ingest.backfill.batch_max_events", async () => {
    expect(backfillDelivery().batch_max_events).toBe(5000);
    const config = ingestConfigSchema.parse({ delivery: { batch_max_events: 2, max_in_flight: 1, flush_interval: '5s' }, backfill: { batch_max_events: 7 } });
    const delivery = backfillDelivery(config);
    expect(delivery).toMatchObject({ batch_max_events: 7, max_in_flight: 1, flush_interval: 5000 });
    expect(config.delivery.batch_max_events).toBe(2);

    const logs = join(root, 'batches');
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, 'a.log'), Array.from({ length: 50 }, (_, n) => `line ${n}\n`).join(''));
    const store = memoryStore();
    const summary = await backfill({ globs: [`${logs}/*`], store, dataDir: join(root, 'batches-data'), resolveParse: () => defaultParse, delivery, progress: false });
    expect(summary).toMatchObject({ lines: 50, stored: 50 });
    expect(Math.max(...store.writes.map((batch) => batch.length))).toBe(7);
  });
});
