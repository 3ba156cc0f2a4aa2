/**
 * Write throughput of the embedded store with full-text indexing: N events (default 1,000,000)
 * from the contract dataset's generator, in batches, into a fresh file. Prints events/s (time in
 * `write` only, not in generating events), the CPU time per event of the main thread (inside
 * `write`) and of the writer thread, which bound the rate on an idle machine, and the process's
 * peak resident memory. Then times a few reads on the result.
 *
 *   npx node store/embedded/write.bench.ts [events] [batch] [file]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { q } from '../query.ts';
import { DATASET_END, DATASET_START, generateEvents } from '../testing/dataset.ts';
import { openEmbeddedStore } from './index.ts';

const total = Number(process.argv[2] ?? 1_000_000);
const batch = Number(process.argv[3] ?? 1000);
const dir = process.argv[4] ? undefined : mkdtempSync(join(tmpdir(), 'faultline-bench-'));
const file = process.argv[4] ?? join(dir as string, 'bench.db');

const store = await openEmbeddedStore({ file });
const span = (DATASET_END - DATASET_START) / Math.ceil(total / batch);
let writeMs = 0;
let mainCpu = 0;
let peakRss = 0;
const processCpu = process.cpuUsage();
const threadCpu = process.threadCpuUsage();
for (let i = 0, round = 0; i < total; i += batch, round++) {
  const from = DATASET_START + round * span;
  const events = generateEvents(Math.min(batch, total - i), round + 1, from, from + span);
  const started = performance.now();
  const startedCpu = process.threadCpuUsage();
  await store.write(events);
  const used = process.threadCpuUsage(startedCpu);
  mainCpu += used.user + used.system;
  writeMs += performance.now() - started;
  if (round % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const allCpu = process.cpuUsage(processCpu);
const allMain = process.threadCpuUsage(threadCpu);
const writerCpu = allCpu.user + allCpu.system - (allMain.user + allMain.system);
const range = { from: DATASET_START, to: DATASET_END };
const timed = async (label: string, work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  console.log(`  ${label}: ${Math.round(performance.now() - started)} ms, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
};
const perEvent = (micros: number) => (micros / total).toFixed(1);
console.log(`${total} events in batches of ${batch}: ${Math.round(total / (writeMs / 1000))} events/s, peak RSS ${Math.round(peakRss / 2 ** 20)} MB`);
console.log(`  CPU per event: main thread ${perEvent(mainCpu)} us, writer thread ${perEvent(writerCpu)} us`);
const heap = process.memoryUsage();
console.log(`  after writing: RSS ${Math.round(heap.rss / 2 ** 20)} MB, main heap ${Math.round(heap.heapTotal / 2 ** 20)} MB`);
await timed('search "failed" (50, with total)', () => store.search({ query: q.term(null, 'failed'), range, size: 50 }));
await timed('search host.name:web-1 (50, with total)', () => store.search({ query: q.term('host.name', 'web-1'), range, size: 50 }));
await timed('search status >= 500 and not "heap" (50)', () =>
  store.search({ query: q.and(q.range('http.response.status_code', { gte: 500 }), q.not(q.term(null, 'heap'))), range, size: 50 }),
);
await timed('histogram "failed", hourly', () => store.histogram({ query: q.term(null, 'failed'), range, intervalMs: 3600_000 }));
await timed('top values of host.name', () => store.topValues({ field: 'host.name', query: q.all(), range, size: 10 }));
await timed('aggregate host.name x 1h, distinct source.ip', () =>
  store.aggregate({ query: q.term(null, 'failed'), range, groupBy: ['host.name'], windowMs: 3600_000, distinctField: 'source.ip' }),
);
await store.close();
if (dir) rmSync(dir, { recursive: true, force: true });
