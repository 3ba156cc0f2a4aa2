/**
 * Benchmark input, made once and cached in .cache/bench/: 1,000,000 realistic events over ten
 * days as NDJSON, and the same documents as a ready-to-send Elasticsearch bulk body for the bare
 * loader (action and source lines, pre-serialized).
 *
 * Ids: by default each event carries the id the file source gives the line when it reads the
 * NDJSON file (the file's identity and the line's byte offset, core/event/id.ts), as events read
 * from files and syslog do. `ids: 'content'` keeps the generator's content hashes, as HTTP events
 * sent without an id get: random ids, the costlier case for an id index.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { fileEventId } from '../../core/event/id.ts';
import { validateEvent } from '../../core/event/validate.ts';
import { generateEvents } from '../../store/testing/dataset.ts';

export const CACHE = fileURLToPath(new URL('../../.cache/bench/', import.meta.url));
const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);

export interface BenchInput {
  events: string;
  bulk: string;
  count: number;
}

/** Daily index of an event, as the Elasticsearch backend names them. */
export function dailyIndex(prefix: string, timestamp: string): string {
  return `${prefix}-events-${timestamp.slice(0, 10).replaceAll('-', '.')}`;
}

export type BenchIds = 'file' | 'content';

export async function prepareInput(count: number, bulkPrefix: string, ids: BenchIds = 'file'): Promise<BenchInput> {
  mkdirSync(CACHE, { recursive: true });
  const events = `${CACHE}events-${ids}-ids-${count}.ndjson`;
  const bulk = `${CACHE}bulk-${bulkPrefix}-${ids}-ids-${count}.ndjson`;
  const identity = `bench:events-${count}`;
  let offset = 0;
  if (existsSync(events) && existsSync(bulk)) return { events, bulk, count };
  process.stderr.write(`generating ${count} events into ${CACHE} (once)...\n`);
  const eventsOut = createWriteStream(`${events}.tmp`);
  const bulkOut = createWriteStream(`${bulk}.tmp`);
  const chunk = 50_000;
  const chunks = Math.ceil(count / chunk);
  const span = (10 * DAY) / chunks;
  for (let i = 0; i < chunks; i++) {
    const from = START + i * span;
    let eventText = '';
    let bulkText = '';
    for (const generated of generateEvents(Math.min(chunk, count - i * chunk), 9000 + i, from, from + span)) {
      const result = validateEvent(generated);
      if (!result.ok) throw new Error(`generated an invalid event: ${result.reason}`);
      // The generator's ids are content hashes; file ids have the same length, so offsets hold either way.
      if (ids === 'file') result.event.event.id = fileEventId(identity, offset);
      const source = JSON.stringify(result.event);
      offset += Buffer.byteLength(source) + 1;
      eventText += `${source}\n`;
      bulkText += `{"create":{"_index":"${dailyIndex(bulkPrefix, result.event['@timestamp'])}","_id":"${result.event.event.id}"}}\n${source}\n`;
    }
    if (!eventsOut.write(eventText)) await once(eventsOut, 'drain');
    if (!bulkOut.write(bulkText)) await once(bulkOut, 'drain');
  }
  eventsOut.end();
  bulkOut.end();
  await Promise.all([once(eventsOut, 'close'), once(bulkOut, 'close')]);
  renameSync(`${events}.tmp`, events);
  renameSync(`${bulk}.tmp`, bulk);
  return { events, bulk, count };
}
