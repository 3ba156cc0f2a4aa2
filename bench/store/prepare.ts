/**
 * Benchmark input, made once and cached in .cache/bench/: 1,000,000 realistic events over ten
 * days as NDJSON, and the same documents as a ready-to-send Elasticsearch bulk body for the bare
 * loader (action and source lines, pre-serialized).
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
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

export async function prepareInput(count: number, bulkPrefix: string): Promise<BenchInput> {
  mkdirSync(CACHE, { recursive: true });
  const events = `${CACHE}events-${count}.ndjson`;
  const bulk = `${CACHE}bulk-${bulkPrefix}-${count}.ndjson`;
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
      const source = JSON.stringify(result.event);
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
