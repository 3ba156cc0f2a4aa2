/**
 * `npm run bench:store`: write throughput of both stores on the same 1,000,000 events, in one run.
 * Baselines measured in the same run: reading and parsing the same NDJSON (the floor under any
 * writer) for the embedded store; a bare bulk loader with the best bulk size and concurrency it
 * finds, into indices with the same template, for Elasticsearch. Events carry the ids the file
 * source would give them; the embedded store is also measured on the same events with random ids.
 * Targets (issue): Elasticsearch backend >= 0.9x the bare loader; embedded >= 50,000 events/s;
 * writer RSS < 300 MB throughout.
 *
 * The embedded store is written in delivery's default batches, as many in flight as delivery
 * keeps by default (`delivery.batch_max_events`, `delivery.max_in_flight`), as `faultline serve`
 * and `ingest` write to it: while the writer thread inserts one batch, the next is read, parsed
 * and validated. Results in bench/results/ whose `embedded` has no `inFlight` ran it one batch at
 * a time, which left each thread waiting for the other; those with `batch` 5000 wrote batches of
 * 5,000 (as fast, and up to 40 MB more resident); the events and the durability are the same
 * (each write answers only once its own transaction has committed).
 *
 * Elasticsearch: the bare loader's best bulk size and concurrency are found on the first 100,000
 * events; then it and the backend (given the same size and concurrency) take turns on all of them,
 * three times, and the best round of each is compared. Each turn starts once Elasticsearch is
 * quiet (no merge running, its CPU at rest; at most 30 s). Results before 2026-12-07T06:32 ran each
 * once, the bare loader reading with readline and sending strings without filter_path; results
 * before 2026-12-07T13:40 started each turn right after the previous one. Then, beside the target's
 * measure, one more turn each with Elasticsearch on CPU 0 and the client on CPU 1 (`ownCores`;
 * only where Elasticsearch runs on this machine and taskset can pin it; from store-2026-12-07T1446 on).
 *
 *   npm run bench:store [-- --events N]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchmarkElasticsearchUrl, onOwnCpus, OWN_CPUS, waitForQuiet } from '../elasticsearch.ts';
import { describeMachine, machine } from '../machine.ts';
import { bareLoad, deleteIndices, installTemplate, tuneBareLoader, type BareResult } from './bare-bulk.ts';
import { lineBatches } from '../lines.ts';
import { prepareInput } from './prepare.ts';
import { NODE_FLAGS } from '../../cli/node-flags.ts';
import { deliveryConfigSchema } from '../../ingest/delivery/config.ts';

const run = promisify(execFile);
const argv = process.argv.slice(2);
const count = argv.includes('--events') ? Number(argv[argv.indexOf('--events') + 1]) : 1_000_000;
const TUNING_EVENTS = Math.min(count, 100_000);
const BARE_PREFIX = 'bench-bare';
const FAULTLINE_PREFIX = 'bench-faultline';
const WRITER = fileURLToPath(new URL('./writer.ts', import.meta.url));
const DELIVERY = deliveryConfigSchema.parse({});
const EMBEDDED_BATCH = DELIVERY.batch_max_events;
/** Turns of the bare loader and the Elasticsearch backend on the whole input. */
const ROUNDS = 3;
const EMBEDDED_IN_FLIGHT = DELIVERY.max_in_flight;

interface WriterResult {
  backend: string;
  events: number;
  rejected: number;
  seconds: number;
  rate: number;
  cpuSeconds: number;
  peakRssMb: number;
}

async function writer(args: string[]): Promise<WriterResult> {
  const { stdout } = await run(process.execPath, [...NODE_FLAGS, WRITER, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as WriterResult;
}

async function readAndParse(file: string): Promise<{ rate: number; seconds: number }> {
  const started = performance.now();
  let lines = 0;
  for await (const batch of lineBatches(file)) {
    for (const line of batch) {
      if (line !== '') {
        JSON.parse(line);
        lines++;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { rate: lines / seconds, seconds };
}

const fmt = (rate: number) => `${Math.round(rate).toLocaleString('en-US')}/s`;

const url = benchmarkElasticsearchUrl();
const input = await prepareInput(count, BARE_PREFIX);
process.stderr.write(`machine: ${describeMachine()}\nevents: ${count.toLocaleString('en-US')}\n`);

// Embedded store, beside the cost of reading and parsing the same file.
const floor = await readAndParse(input.events);
const dataDir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
const embedded = await writer(['embedded', input.events, dataDir, '', String(EMBEDDED_BATCH), String(EMBEDDED_IN_FLIGHT)]);
rmSync(dataDir, { recursive: true, force: true });
process.stderr.write(`embedded: ${fmt(embedded.rate)}, peak RSS ${embedded.peakRssMb.toFixed(0)} MB (read+parse alone ${fmt(floor.rate)})\n`);
// The same events with random ids (content hashes, as HTTP events sent without an id get).
const contentInput = await prepareInput(count, BARE_PREFIX, 'content');
const contentDir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
const embeddedContentIds = await writer(['embedded', contentInput.events, contentDir, '', String(EMBEDDED_BATCH), String(EMBEDDED_IN_FLIGHT)]);
rmSync(contentDir, { recursive: true, force: true });
process.stderr.write(`embedded, random ids: ${fmt(embeddedContentIds.rate)}, peak RSS ${embeddedContentIds.peakRssMb.toFixed(0)} MB\n`);

// The same index template for the bare loader's indices; its best bulk size and concurrency,
// found on a part of the input, then run on all of it.
await deleteIndices(url, `${BARE_PREFIX}-*`);
await installTemplate(url, BARE_PREFIX);
const { trials: tuning, best } = await tuneBareLoader(url, input.bulk, BARE_PREFIX, TUNING_EVENTS, (result) =>
  process.stderr.write(`  bare loader tuning: ${result.docsPerRequest} docs x ${result.concurrency} in flight: ${fmt(result.rate)}\n`),
);
// Then the bare loader and the backend take turns on all of it, given the bare loader's best bulk
// size and concurrency, ROUNDS times: Elasticsearch's own pace on a shared machine varies from one
// run to the next (merges, its JIT and GC), and each side's best round is compared.
/** Each turn starts with Elasticsearch done with the previous one's merges and deletions. */
const quiet = async () => {
  const settled = await waitForQuiet(url);
  if (!settled.quiet) process.stderr.write(`Elasticsearch still busy after ${(settled.waitedMs / 1000).toFixed(0)} s; going on\n`);
};
/** One turn of each side on all the events, each into emptied indices once Elasticsearch is quiet. */
async function turn(label: string): Promise<{ bare: BareResult; faultline: WriterResult }> {
  await deleteIndices(url, `${BARE_PREFIX}-*`);
  await quiet();
  const bare = await bareLoad(url, input.bulk, best.docsPerRequest, best.concurrency);
  await deleteIndices(url, `${BARE_PREFIX}-*`);
  process.stderr.write(`${label}: bare loader ${fmt(bare.rate)} (${best.docsPerRequest} docs x ${best.concurrency}), ${bare.failed} failed\n`);
  await deleteIndices(url, `${FAULTLINE_PREFIX}-*`);
  await quiet();
  const faultline = await writer(['elasticsearch', input.events, url, FAULTLINE_PREFIX, String(best.docsPerRequest), String(best.concurrency)]);
  await deleteIndices(url, `${FAULTLINE_PREFIX}-*`);
  process.stderr.write(`${label}: elasticsearch backend ${fmt(faultline.rate)}, peak RSS ${faultline.peakRssMb.toFixed(0)} MB\n`);
  return { bare, faultline };
}

const bareRounds: BareResult[] = [];
const elasticRounds: WriterResult[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const { bare, faultline } = await turn(`round ${round}/${ROUNDS}`);
  bareRounds.push(bare);
  elasticRounds.push(faultline);
}
const bare = bareRounds.reduce((a, b) => (b.rate > a.rate ? b : a));
const elastic = { ...elasticRounds.reduce((a, b) => (b.rate > a.rate ? b : a)), peakRssMb: Math.max(...elasticRounds.map((round) => round.peakRssMb)) };

/**
 * Beside the target's measure, one more turn each with Elasticsearch on CPU 0 and the client (the
 * bare loader in this process, the writer process) on CPU 1: how much of the gap to the bare
 * loader is the writer's CPU taken from Elasticsearch (`onOwnCpus`).
 */
async function onOwnCores(): Promise<{ skipped: string } | { elasticsearchCpus: string; clientCpus: string; bare: number; faultline: number; ratio: number; writerCpuSeconds: number }> {
  const turned = await onOwnCpus(url, () => turn(`own CPUs (Elasticsearch on CPU ${OWN_CPUS.elasticsearch}, the client on CPU ${OWN_CPUS.client})`));
  if ('skipped' in turned) return turned;
  const { bare, faultline } = turned.result;
  return { elasticsearchCpus: OWN_CPUS.elasticsearch, clientCpus: OWN_CPUS.client, bare: bare.rate, faultline: faultline.rate, ratio: faultline.rate / bare.rate, writerCpuSeconds: faultline.cpuSeconds };
}
const ownCores = await onOwnCores();
if ('skipped' in ownCores) process.stderr.write(`own CPUs: not measured (${ownCores.skipped})\n`);

const results = {
  benchmark: 'store',
  at: new Date().toISOString(),
  machine: machine(),
  events: count,
  embedded: { ...embedded, ids: 'file', batch: EMBEDDED_BATCH, inFlight: EMBEDDED_IN_FLIGHT, readAndParseRate: floor.rate, target: 50_000 },
  embeddedRandomIds: { ...embeddedContentIds, ids: 'content' },
  elasticsearch: {
    ...elastic,
    bare,
    ratioToBare: elastic.rate / bare.rate,
    target: 0.9,
    rounds: bareRounds.map((round, k) => ({ bare: round.rate, faultline: (elasticRounds[k] as WriterResult).rate, peakRssMb: (elasticRounds[k] as WriterResult).peakRssMb })),
    ownCores,
  },
  tuning: tuning.map(({ docsPerRequest, concurrency, rate }) => ({ docsPerRequest, concurrency, rate })),
};
const rows = [
  ['', 'events/s', 'baseline', 'ratio', 'peak RSS', 'target'],
  ['embedded store', fmt(embedded.rate), `read+parse ${fmt(floor.rate)}`, (embedded.rate / floor.rate).toFixed(2), `${embedded.peakRssMb.toFixed(0)} MB`, '>= 50,000/s, < 300 MB'],
  ['embedded, random ids', fmt(embeddedContentIds.rate), '', '', `${embeddedContentIds.peakRssMb.toFixed(0)} MB`, ''],
  ['elasticsearch backend', fmt(elastic.rate), `bare bulk ${fmt(bare.rate)}`, results.elasticsearch.ratioToBare.toFixed(2), `${elastic.peakRssMb.toFixed(0)} MB`, '>= 0.9x, < 300 MB'],
  ...('skipped' in ownCores
    ? []
    : [['  on own CPUs', fmt(ownCores.faultline), `bare bulk ${fmt(ownCores.bare)}`, ownCores.ratio.toFixed(2), '', `none (Elasticsearch on CPU ${OWN_CPUS.elasticsearch}, the client on CPU ${OWN_CPUS.client})`]]),
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] as string).length)));
process.stdout.write(`\nstore write benchmark, ${count.toLocaleString('en-US')} events\nmachine: ${describeMachine()}\n\n`);
for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ')}\n`);
const out = fileURLToPath(new URL(`../results/store-${results.at.slice(0, 16).replace(':', '')}.json`, import.meta.url));
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nkept in ${out}\n`);
