/**
 * One measured writer, run as its own process so its memory is its own: reads the benchmark's
 * NDJSON, writes it through a Faultline store in batches (several in flight, as the delivery
 * layer does; each batch's events parsed from their lines as the store takes them, as delivery
 * makes them from its records), samples resident memory, and prints one JSON line with the result.
 *
 *   node bench/store/writer.ts <embedded|elasticsearch> <events.ndjson> <dir-or-url> [prefix] [batch] [inFlight]
 */
import type { JsonObject } from '../../core/event/types.ts';
import { storeConfigSchema } from '../../core/config/schema.ts';
import { silentLogger } from '../../core/log.ts';
import type { Store } from '../../store/contract.ts';
import { openStore } from '../../store/open.ts';
import { lineBatches } from '../lines.ts';

const [backend, file, target, prefix = 'bench-faultline', batchText = '5000', inFlightText = '1'] = process.argv.slice(2);
if ((backend !== 'embedded' && backend !== 'elasticsearch') || !file || !target) {
  process.stderr.write('usage: writer.ts <embedded|elasticsearch> <events.ndjson> <dir-or-url> [prefix] [batch] [inFlight]\n');
  process.exit(2);
}
const batchSize = Number(batchText);
const inFlight = Number(inFlightText);

const store: Store =
  backend === 'embedded'
    ? await openStore(storeConfigSchema.parse({ type: 'embedded', path: target }), { logger: silentLogger })
    : await openStore(storeConfigSchema.parse({ type: 'elasticsearch', elasticsearch: { url: target, index_prefix: prefix } }), { logger: silentLogger });
// Wait until the backend is ready (Elasticsearch: template installed) outside the timed part.
await store.health();
await store.search({ query: { kind: 'all' }, range: { from: 0, to: 1 }, size: 1, trackTotal: false });

let peakRss = process.memoryUsage.rss();
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
let written = 0;
let rejected = 0;
const pending = new Set<Promise<void>>();
const started = performance.now();

/** Each line's event, made as the store takes it: as delivery makes a batch's events from its records. */
function* events(lines: readonly string[]): Generator<JsonObject> {
  for (const line of lines) yield JSON.parse(line) as JsonObject;
}

/** Not async: like delivery, the caller does not hold the batch while the store writes it. */
function flush(lines: readonly string[]): Promise<void> {
  return store.write(events(lines)).then((outcomes) => {
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') rejected++;
      else written++;
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  });
}

let batch: string[] = [];
for await (const lines of lineBatches(file)) {
  for (const line of lines) {
    if (line === '') continue;
    batch.push(line);
    if (batch.length >= batchSize) {
      const job = flush(batch).finally(() => pending.delete(job));
      pending.add(job);
      batch = [];
      if (pending.size >= inFlight) await Promise.race(pending);
    }
  }
}
if (batch.length > 0) await flush(batch);
await Promise.all(pending);
await store.refresh();
const seconds = (performance.now() - started) / 1000;
clearInterval(sample);
await store.close();
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ backend, events: written, rejected, seconds, rate: written / seconds, cpuSeconds, peakRssMb: peakRss / 2 ** 20 })}\n`);
