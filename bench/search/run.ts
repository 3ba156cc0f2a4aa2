/**
 * `npm run bench:search`: search latency as users see it, through the HTTP API of a running
 * `faultline serve`, on 1,000,000 and 10,000,000 events in both stores, for six query shapes (a
 * rare term, a common term, a phrase, a field filter plus a range, a wildcard, a histogram over
 * the whole range). Baseline in the same run: the very requests the Elasticsearch backend sends
 * for each API call (recorded through a proxy, so the DSL is the backend compiler's own), sent
 * straight to Elasticsearch, taking turns with the API calls. Targets (issue 5): API overhead over
 * direct Elasticsearch <= 10% + 5 ms; embedded store p95 <= 100 ms at 1M and <= 500 ms at 10M
 * events for the term, phrase and filter shapes. Loaded datasets are kept for the next run.
 *
 *   npm run bench:search [-- --events 1000000,10000000] [--reps 50] [--warmup 5] [--budget 60] [--reload]
 *   npm run bench:search -- --events 1000000 --embedded-only   # skips Elasticsearch, e.g. while tuning the embedded store
 *   npm run bench:search -- --clean      # removes the kept datasets
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarkElasticsearchUrl } from '../elasticsearch.ts';
import { describeMachine, machine } from '../machine.ts';
import { cleanDatasets, dataset, ensureDatasets, type Dataset } from './datasets.ts';
import { isSearch, replayer, startRecorder, type EsRequest } from './recorder.ts';
import { describeSize, elasticsearchRow, embeddedRow, type ElasticsearchRow, type EmbeddedRow, type SizeResult } from './report.ts';
import { startServe } from './serve.ts';
import { apiGet, apiHits, dataRange, elasticsearchHits, latency, rareWord, sample, shapes, shapeUrl, type DataRange, type Plan, type Shape } from './shapes.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => (argv.includes(name) ? String(argv[argv.indexOf(name) + 1]) : fallback);
const sizes = option('--events', '1000000,10000000').split(',').map(Number);
const embeddedOnly = argv.includes('--embedded-only');
const plan: Plan = { warmup: Math.max(1, Number(option('--warmup', '5'))), reps: Number(option('--reps', '50')), budgetMs: Number(option('--budget', '60')) * 1000, minReps: 5 };
if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1) || [plan.warmup, plan.reps, plan.budgetMs].some((n) => !Number.isFinite(n) || n < 0)) {
  process.stderr.write('usage: npm run bench:search [-- --events N[,N...]] [--reps N] [--warmup N] [--budget SECONDS] [--embedded-only] [--reload] [--clean]\n');
  process.exit(2);
}

const url = benchmarkElasticsearchUrl();
if (argv.includes('--clean')) {
  for (const removed of await cleanDatasets(url)) process.stdout.write(`removed ${removed}\n`);
  process.exit(0);
}

const at = new Date().toISOString();
const out = fileURLToPath(new URL(`../results/search-${at.slice(0, 16).replace(':', '')}.json`, import.meta.url));
const results = { benchmark: 'search', at, machine: machine(), plan, sizes: [] as SizeResult[] };
process.stdout.write(`search benchmark, through the HTTP API of faultline serve\nmachine: ${describeMachine()}\n`);
process.stdout.write(
  `runs per shape: ${plan.warmup} warm-up (the first gives the hit count; fewer once they take ${plan.budgetMs / 4000} s), ` +
    `then ${plan.reps} measured (fewer once they take ${plan.budgetMs / 1000} s, at least ${plan.minReps})\n`,
);

async function measureEmbedded(set: Dataset): Promise<{ range: DataRange; rare: string; list: Shape[]; rows: EmbeddedRow[] }> {
  const server = await startServe({ FAULTLINE_STORE: 'embedded', FAULTLINE_DATA_DIR: set.embeddedDir });
  try {
    const range = await dataRange(server.url);
    const rare = await rareWord(server.url, range);
    const list = shapes(rare);
    const rows: EmbeddedRow[] = [];
    for (const shape of list) {
      const call = shapeUrl(server.url, shape, range);
      const { first, ms } = await sample([() => apiGet(call)], plan);
      const api = latency(ms[0] ?? []);
      rows.push(embeddedRow(shape, set.events, apiHits(first[0] ?? '{}'), api));
      process.stderr.write(`  embedded ${shape.title}: p50 ${api.p50.toFixed(1)} ms, p95 ${api.p95.toFixed(1)} ms\n`);
    }
    return { range, rare, list, rows };
  } finally {
    await server.stop();
  }
}

/** The Elasticsearch requests behind one warm API call of each shape, recorded through a proxy. */
async function recordRequests(set: Dataset, list: Shape[], range: DataRange, dataDir: string): Promise<Map<Shape, EsRequest[]>> {
  const recorder = await startRecorder(url);
  const server = await startServe(elasticsearchEnv(set, recorder.url, dataDir));
  try {
    const recorded = new Map<Shape, EsRequest[]>();
    for (const shape of list) {
      await apiGet(shapeUrl(server.url, shape, range));
      recorder.take();
      await apiGet(shapeUrl(server.url, shape, range));
      recorded.set(shape, recorder.take());
    }
    return recorded;
  } finally {
    await server.stop();
    await recorder.close();
  }
}

function elasticsearchEnv(set: Dataset, elasticsearchUrl: string, dataDir: string): Record<string, string> {
  return {
    FAULTLINE_STORE: 'elasticsearch',
    FAULTLINE_ELASTICSEARCH_URL: elasticsearchUrl,
    FAULTLINE_ELASTICSEARCH_INDEX_PREFIX: set.indexPrefix,
    FAULTLINE_DATA_DIR: dataDir,
  };
}

async function measureElasticsearch(set: Dataset, list: Shape[], range: DataRange): Promise<ElasticsearchRow[]> {
  // The server's spool and checkpoints; it ingests nothing here.
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-bench-search-'));
  try {
    const recorded = await recordRequests(set, list, range, dataDir);
    const server = await startServe(elasticsearchEnv(set, url, dataDir));
    try {
      const rows: ElasticsearchRow[] = [];
      for (const shape of list) {
        const call = shapeUrl(server.url, shape, range);
        const requests = recorded.get(shape) ?? [];
        const direct = replayer(url, requests.filter(isSearch));
        const { first, ms } = await sample([() => apiGet(call), direct], plan);
        const [api, straight] = [latency(ms[0] ?? []), latency(ms[1] ?? [])];
        rows.push(elasticsearchRow(shape, apiHits(first[0] ?? '{}'), elasticsearchHits(first[1] ?? '{}'), api, straight, requests));
        process.stderr.write(`  elasticsearch ${shape.title}: API p95 ${api.p95.toFixed(1)} ms, direct p95 ${straight.p95.toFixed(1)} ms\n`);
      }
      return rows;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const events of sizes) {
  const set = dataset(events);
  process.stderr.write(`\n${events.toLocaleString('en-US')} events: preparing both stores\n`);
  const load = await ensureDatasets(url, set, argv.includes('--reload'));
  const embeddedLoad = loadavg();
  const embedded = await measureEmbedded(set);
  const elasticLoad = loadavg();
  // The embedded run also finds the rare word and the range the Elasticsearch run asks for.
  const elasticsearch = embeddedOnly ? [] : await measureElasticsearch(set, embedded.list, embedded.range);
  const result: SizeResult = {
    events,
    range: embedded.range,
    rareWord: embedded.rare,
    load,
    loadAverage: { embedded: embeddedLoad, elasticsearch: elasticLoad },
    embedded: embedded.rows,
    elasticsearch,
  };
  results.sizes.push(result);
  process.stdout.write(`\n${describeSize(result)}\n`);
  // Kept after every size, so a long run that fails later still leaves what it measured.
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}
process.stdout.write(`\nkept in ${out}\n`);
