/**
 * File -> pipeline -> store: `faultline ingest --pipeline syslog FILE` as users run it (its own
 * process, start-up included), into a fresh embedded store and into Elasticsearch; beside it, the
 * bare bulk loader of the store benchmark sending the same documents, pre-serialized, with its
 * best bulk size and concurrency, and the `syslog` pipeline alone on the same lines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfillDelivery } from '../../ingest/config.ts';
import { loadConfiguredPipelines } from '../../pipelines/index.ts';
import { refreshAndCount } from '../elasticsearch.ts';
import { eachLine } from '../lines.ts';
import { bareLoad, deleteBenchData, deleteIndices, installTemplate, tuneBareLoader, type BareResult } from '../store/bare-bulk.ts';
import { runFaultline, writeConfig } from './faultline.ts';
import { bareBulkInput, type IngestInputs } from './inputs.ts';

export const FILE_PREFIX = 'bench-ingest-file';
export const BARE_PREFIX = 'bench-ingest-bare';
const TUNING_EVENTS = 100_000;

export interface FileIngestResult {
  store: 'embedded' | 'elasticsearch';
  lines: number;
  stored: number;
  /** Spawn to exit (and, for Elasticsearch, a refresh): what the user waits for. */
  seconds: number;
  rate: number;
  /** The command's own measure (delivery open to last acknowledgement), start-up excluded. */
  commandSeconds: number;
}

const SUMMARY = /(\d+) lines, \d+ bytes in ([\d.]+) s: (\d+) stored, (\d+) already stored, (\d+) rejected/;

async function ingest(inputs: IngestInputs, store: object): Promise<Omit<FileIngestResult, 'store'>> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-ingest-'));
  try {
    const config = writeConfig(dir, { store: { path: join(dir, 'data'), ...store }, log: { level: 'warn' } });
    const run = await runFaultline(['ingest', '--config', config, '--pipeline', 'syslog', inputs.file]);
    const summary = SUMMARY.exec(run.stderr);
    if (run.code !== 0 || !summary) throw new Error(`faultline ingest exited with ${run.code}: ${run.stderr.trim().slice(-2000)}`);
    const stored = Number(summary[3]);
    if (stored !== inputs.lines) throw new Error(`faultline ingest stored ${stored} of ${inputs.lines} lines: ${summary[0]}`);
    return { lines: Number(summary[1]), stored, seconds: run.seconds, rate: inputs.lines / run.seconds, commandSeconds: Number(summary[2]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ingestIntoEmbedded(inputs: IngestInputs): Promise<FileIngestResult> {
  return { store: 'embedded', ...(await ingest(inputs, { type: 'embedded' })) };
}

export async function ingestIntoElasticsearch(inputs: IngestInputs, url: string): Promise<FileIngestResult> {
  await deleteBenchData(url, FILE_PREFIX);
  try {
    const result = await ingest(inputs, { type: 'elasticsearch', elasticsearch: { url, index_prefix: FILE_PREFIX } });
    const refreshStarted = performance.now();
    const count = await refreshAndCount(url, `${FILE_PREFIX}-events-*`);
    if (count !== inputs.lines) throw new Error(`Elasticsearch holds ${count} of ${inputs.lines} events after faultline ingest`);
    const seconds = result.seconds + (performance.now() - refreshStarted) / 1000;
    return { store: 'elasticsearch', ...result, seconds, rate: inputs.lines / seconds };
  } finally {
    await deleteBenchData(url, FILE_PREFIX);
  }
}

/**
 * The bare loader, tuned on part of the input: `run()` loads all of it into emptied indices (as
 * often as the benchmark takes turns), `close()` removes its indices and template.
 */
export async function bareLoader(
  inputs: IngestInputs,
  url: string,
  report: (line: string) => void,
): Promise<{ trials: BareResult[]; run: () => Promise<BareResult>; close: () => Promise<void> }> {
  const bulk = bareBulkInput(inputs, BARE_PREFIX);
  await deleteBenchData(url, BARE_PREFIX);
  await installTemplate(url, BARE_PREFIX);
  const { trials, best } = await tuneBareLoader(url, bulk, BARE_PREFIX, Math.min(inputs.lines, TUNING_EVENTS), (trial) =>
    report(`  bare loader tuning: ${trial.docsPerRequest} docs x ${trial.concurrency} in flight: ${Math.round(trial.rate).toLocaleString('en-US')}/s`),
  );
  // Its tuning on part of the input is noise (see bench/README.md): turn by turn it alternates
  // between the tuned best and the bulk size and concurrency `faultline ingest` uses, and the best
  // turn is the baseline, so that a tuning that picked a slow size does not make it an easy one.
  const command = backfillDelivery();
  const sizes = [
    { docsPerRequest: best.docsPerRequest, concurrency: best.concurrency },
    { docsPerRequest: command.batch_max_events, concurrency: command.max_in_flight },
  ];
  let turns = 0;
  return {
    trials,
    run: async () => {
      const { docsPerRequest, concurrency } = sizes[turns++ % sizes.length] as (typeof sizes)[number];
      await deleteIndices(url, `${BARE_PREFIX}-events-*`);
      return bareLoad(url, bulk, docsPerRequest, concurrency);
    },
    close: () => deleteBenchData(url, BARE_PREFIX),
  };
}

/** The `syslog` pipeline alone over the same file, in this process: what parsing costs. */
export function pipelineAlone(inputs: IngestInputs): { seconds: number; rate: number } {
  const pipeline = loadConfiguredPipelines(undefined).get('syslog');
  eachLine(inputs.file, (line) => pipeline.run(line));
  const started = performance.now();
  eachLine(inputs.file, (line) => pipeline.run(line));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rate: inputs.lines / seconds };
}
