/**
 * The benchmark's datasets, loaded once and kept for the next run. N events from
 * bench/store/prepare.ts go into an embedded store in .cache/bench/search/embedded-N/ through the
 * store's write API (bench/store/writer.ts, in its own process), and into Elasticsearch indices
 * `faultline-bench-search-N-events-*` through bench/store's bulk loader, after the backend has
 * installed its index template. A dataset that holds all N events is reused; `reload` loads it
 * again; `cleanDatasets` removes everything this benchmark keeps.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { indexNames } from '../../store/elasticsearch/mapping.ts';
import { refreshAndCount, splitCredentials } from '../elasticsearch.ts';
import { bareLoad, deleteIndices, installTemplate } from '../store/bare-bulk.ts';
import { CACHE, prepareInput, type BenchInput } from '../store/prepare.ts';
import { withProgress } from './progress.ts';
import { NODE_FLAGS } from '../../cli/node-flags.ts';

const run = promisify(execFile);
const WRITER = fileURLToPath(new URL('../store/writer.ts', import.meta.url));
const SEARCH_CACHE = join(CACHE, 'search');
const PREFIX = 'faultline-bench-search';
/** Written into an embedded dataset's directory once its load completed. */
const MARKER = 'bench-dataset.json';
/** bench:store's best bare-loader setting on a two-core machine. */
const BULK_DOCS = 5000;
const BULK_IN_FLIGHT = 2;
/** Events per store.write, as bench:store writes them. */
const WRITE_BATCH = 5000;

export interface Dataset {
  events: number;
  embeddedDir: string;
  indexPrefix: string;
}

export interface LoadReport {
  reused: boolean;
  seconds?: number;
  rate?: number;
}

export function dataset(events: number): Dataset {
  return { events, embeddedDir: join(SEARCH_CACHE, `embedded-${events}`), indexPrefix: `${PREFIX}-${events}` };
}

/** Makes both stores hold the dataset, loading what is missing (or everything, with `reload`). */
export async function ensureDatasets(url: string, set: Dataset, reload: boolean): Promise<{ embedded: LoadReport; elasticsearch: LoadReport }> {
  const embeddedReady = !reload && embeddedEvents(set) === set.events;
  const elasticReady = !reload && (await refreshAndCount(url, indexNames(set.indexPrefix).eventsPattern)) === set.events;
  const input = embeddedReady && elasticReady ? undefined : await prepareInput(set.events, set.indexPrefix);
  const embedded = embeddedReady || !input ? { reused: true } : await loadEmbedded(set, input);
  const elasticsearch = elasticReady || !input ? { reused: true } : await loadElasticsearch(url, set, input);
  await mergesSettled(url, set.indexPrefix);
  return { embedded, elasticsearch };
}

function embeddedEvents(set: Dataset): number | undefined {
  const marker = join(set.embeddedDir, MARKER);
  if (!existsSync(marker)) return undefined;
  return (JSON.parse(readFileSync(marker, 'utf8')) as { events: number }).events;
}

async function loadEmbedded(set: Dataset, input: BenchInput): Promise<LoadReport> {
  rmSync(set.embeddedDir, { recursive: true, force: true });
  mkdirSync(set.embeddedDir, { recursive: true });
  const file = join(set.embeddedDir, 'faultline.db');
  // Rows so far, read beside the writer (WAL lets a reader in); seq is the rowid, so max() is one index lookup.
  const stored = async () => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return Number(db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get()?.['n'] ?? 0);
    } finally {
      db.close();
    }
  };
  const writing = run(process.execPath, [...NODE_FLAGS, WRITER, 'embedded', input.events, set.embeddedDir, '', String(WRITE_BATCH), '1'], { maxBuffer: 1 << 20 });
  const { stdout } = await withProgress('embedded store', set.events, stored, writing);
  const result = JSON.parse(stdout.trim().split('\n').pop() as string) as { events: number; rejected: number; seconds: number; rate: number };
  if (result.events !== set.events || result.rejected > 0) {
    throw new Error(`the embedded store took ${result.events} of ${set.events} events (${result.rejected} rejected)`);
  }
  writeFileSync(join(set.embeddedDir, MARKER), `${JSON.stringify({ events: result.events, loadedAt: new Date().toISOString() })}\n`);
  return { reused: false, seconds: result.seconds, rate: result.rate };
}

async function elasticsearch<T>(url: string, method: string, path: string, missingOk = false): Promise<T | undefined> {
  const { base, authorization } = splitCredentials(url);
  const response = await fetch(`${base}${path}`, { method, headers: authorization ? { authorization } : {} });
  const text = await response.text();
  if (missingOk && response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Elasticsearch answered ${response.status} to ${method} ${path}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function loadElasticsearch(url: string, set: Dataset, input: BenchInput): Promise<LoadReport> {
  await deleteIndices(url, `${set.indexPrefix}-*`);
  // The bulk loader creates the daily indices, under the backend's own template.
  await installTemplate(url, set.indexPrefix);
  const events = indexNames(set.indexPrefix).eventsPattern;
  const result = await withProgress('elasticsearch ', set.events, () => refreshAndCount(url, events), bareLoad(url, input.bulk, BULK_DOCS, BULK_IN_FLIGHT));
  const held = await refreshAndCount(url, events);
  if (result.failed > 0 || held !== set.events) throw new Error(`Elasticsearch holds ${held} of ${set.events} events (${result.failed} bulk items failed)`);
  return { reused: false, seconds: result.seconds, rate: result.rate };
}

/** Waits for Elasticsearch's background merges after a load, so they do not run beside the measurements. */
async function mergesSettled(url: string, prefix: string): Promise<void> {
  const path = `/${indexNames(prefix).eventsPattern}/_stats/merge?ignore_unavailable=true&allow_no_indices=true`;
  for (;;) {
    const stats = await elasticsearch<{ _all: { total: { merges?: { current: number } } } }>(url, 'GET', path);
    if ((stats?._all.total.merges?.current ?? 0) === 0) return;
    await sleep(2000);
  }
}

/** Removes every dataset of this benchmark: indices and index templates, embedded stores, bulk inputs made for them. */
export async function cleanDatasets(url: string): Promise<string[]> {
  const removed = [`Elasticsearch indices and index templates ${PREFIX}-*`];
  await deleteIndices(url, `${PREFIX}-*`);
  await elasticsearch(url, 'DELETE', `/_index_template/${PREFIX}-*`, true);
  if (existsSync(SEARCH_CACHE)) {
    rmSync(SEARCH_CACHE, { recursive: true, force: true });
    removed.push(SEARCH_CACHE);
  }
  for (const name of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    if (name.startsWith(`bulk-${PREFIX}-`)) {
      rmSync(join(CACHE, name), { force: true });
      removed.push(join(CACHE, name));
    }
  }
  return removed;
}
