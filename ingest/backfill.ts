/**
 * `faultline ingest <glob...> [--pipeline id]`: reads the matching files once, to their ends
 * (gzip files and JSON arrays included), through the same reader, delivery and checkpoints as the
 * file input, so a rerun skips what is already in the store and an interrupted run resumes where
 * the store acknowledged. A progress bar on stderr shows lines, bytes, rate and ETA.
 *
 * @example
 * const summary = await backfill({ globs: ['/var/log/nginx/*.log*'], pipeline: 'nginx-access', store, dataDir, resolveParse });
 */
import cliProgress from 'cli-progress';
import type { FileInputConfigInput } from './sources/file/config.ts';
import { fileInputConfigSchema } from './sources/file/config.ts';
import { FileSource } from './sources/file/source.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Store } from '../store/contract.ts';
import type { ParseResolver } from './contract.ts';
import { backfillDelivery } from './config.ts';
import type { DeliveryConfig } from './delivery/config.ts';
import { Delivery } from './delivery/delivery.ts';
import { IngestMetrics } from './delivery/metrics.ts';

export interface BackfillOptions {
  globs: string[];
  pipeline?: string;
  store: Store;
  dataDir: string;
  resolveParse: ParseResolver;
  /** Checkpoints are kept under this input id, so reruns skip what was read (default `backfill`). */
  inputId?: string;
  /** More file input options: format, multiline, exclude, max_line_bytes... */
  file?: Partial<Omit<FileInputConfigInput, 'type' | 'paths' | 'pipeline'>>;
  /** Batching, queue and spool (default: the configuration's defaults, `backfillDelivery`: batches of 5,000). */
  delivery?: DeliveryConfig;
  /** Where the progress bar goes (default stderr, when it is a terminal); false for none. */
  progress?: NodeJS.WritableStream | false;
  logger?: Logger;
  /** Stops the run early (the CLI aborts it on SIGINT); what was acknowledged stays checkpointed. */
  signal?: AbortSignal;
}

export interface BackfillSummary {
  files: number;
  lines: number;
  bytes: number;
  stored: number;
  duplicate: number;
  rejected: number;
  spooled: number;
  elapsedMs: number;
}

const PROGRESS_INTERVAL_MS = 200;

export async function backfill(options: BackfillOptions): Promise<BackfillSummary> {
  const started = Date.now();
  const inputId = options.inputId ?? 'backfill';
  const metrics = new IngestMetrics();
  const delivery = await Delivery.open({
    store: options.store,
    dataDir: options.dataDir,
    config: options.delivery ?? backfillDelivery(),
    metrics,
    logger: options.logger ?? silentLogger,
  });
  const config = fileInputConfigSchema.parse({ type: 'file', ...options.file, paths: options.globs, ...(options.pipeline ? { pipeline: options.pipeline } : {}) });
  const input = delivery.input(inputId, 'file', options.resolveParse(options.pipeline));
  const source = new FileSource({ id: inputId, config, input, dataDir: options.dataDir, mode: 'once', logger: options.logger ?? silentLogger });
  const progress = progressBar(options.progress);
  const abort = () => void source.stop();
  options.signal?.addEventListener('abort', abort, { once: true });
  const tick = () => {
    const { total, done } = bytes(source);
    progress?.setTotal(Math.max(total, 1));
    progress?.update(done, { lines: input.metrics.counts.received, rate: rate(input.metrics.counts.received, started) });
  };
  progress?.start(1, 0, { lines: 0, rate: 0 });
  const timer = setInterval(tick, PROGRESS_INTERVAL_MS);
  try {
    await source.start();
    await source.finished();
    await delivery.flush();
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', abort);
    await source.stop();
    await delivery.close();
    await source.close();
    tick();
    progress?.stop();
  }
  const counts = input.metrics.counts;
  const files = (source.status()['files'] as unknown[]).length;
  return {
    files,
    lines: counts.received,
    bytes: bytes(source).done,
    stored: counts.stored,
    duplicate: counts.duplicate,
    rejected: counts.rejected,
    spooled: counts.spooled,
    elapsedMs: Date.now() - started,
  };
}

function bytes(source: FileSource): { total: number; done: number } {
  let total = 0;
  let done = 0;
  for (const file of source.status()['files'] as { size: number; offset: number; kind: string; done: boolean }[]) {
    total += file.size;
    // Gzip offsets count decompressed bytes: count a gzip file by its size, once done.
    done += file.kind === 'gzip' ? (file.done ? file.size : 0) : Math.min(file.offset, file.size);
  }
  return { total, done };
}

function rate(lines: number, started: number): number {
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? Math.round(lines / seconds) : 0;
}

function progressBar(stream: NodeJS.WritableStream | false | undefined): cliProgress.SingleBar | undefined {
  if (stream === false) return undefined;
  const output = stream ?? process.stderr;
  if (stream === undefined && !process.stderr.isTTY) return undefined;
  return new cliProgress.SingleBar(
    {
      stream: output,
      format: '{bar} {percentage}% | {lines} lines | {value}/{total} bytes | {rate} lines/s | ETA {eta_formatted}',
      hideCursor: true,
      noTTYOutput: stream !== undefined,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
}
