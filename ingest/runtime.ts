/**
 * Ingest as `faultline serve` runs it: the configured inputs, one delivery, the HTTP ingest
 * handler, metrics. `stop()` is what SIGTERM should call: stop reading and listening, deliver or
 * spool what is in memory, write checkpoints; the caller closes the store afterwards.
 *
 * @example
 * const ingest = await startIngest({ inputs: config.inputs, store, dataDir: config.store.path, resolveParse });
 * app.post('/api/ingest', (c) => ingest.handleHttp(c.req.raw));
 * app.get('/api/inputs', (c) => c.json(ingest.metrics.snapshot()));
 * app.get('/metrics', async (c) => c.text(await ingest.metrics.text(), 200, { 'content-type': ingest.metrics.contentType }));
 * process.once('SIGTERM', async () => { await ingest.stop(); await store.close(); process.exit(0); });
 */
import { describeError } from '../core/errors.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Store } from '../store/contract.ts';
import { inputId, ingestConfigSchema, type IngestConfig, type IngestInputConfig } from './config.ts';
import type { ParseResolver, Source } from './contract.ts';
import { Delivery } from './delivery/delivery.ts';
import { IngestMetrics } from './delivery/metrics.ts';
import { createIngestHandler, httpInputParse } from './sources/http/handler.ts';
import { FileSource } from './sources/file/source.ts';
import { SyslogSource } from './sources/syslog/source.ts';

export interface IngestOptions {
  inputs: readonly IngestInputConfig[];
  store: Store;
  dataDir: string;
  resolveParse: ParseResolver;
  config?: IngestConfig;
  metrics?: IngestMetrics;
  logger?: Logger;
  /** The HTTP input's id in metrics (default `http`). */
  httpInputId?: string;
}

export interface IngestRuntime {
  readonly delivery: Delivery;
  readonly metrics: IngestMetrics;
  readonly sources: readonly Source[];
  /** POST /api/ingest. */
  handleHttp(request: Request): Promise<Response>;
  /** SIGTERM: stop sources, deliver or spool what is queued (within `timeoutMs`), write checkpoints. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startIngest(options: IngestOptions): Promise<IngestRuntime> {
  const logger = options.logger ?? silentLogger;
  const config = options.config ?? ingestConfigSchema.parse({});
  const metrics = options.metrics ?? new IngestMetrics();
  const delivery = await Delivery.open({ store: options.store, dataDir: options.dataDir, config: config.delivery, metrics, logger });
  const sources: Source[] = options.inputs.map((input) => {
    const id = inputId(input);
    const handle = delivery.input(id, input.type, options.resolveParse(input.pipeline));
    return input.type === 'file'
      ? new FileSource({ id, config: input, input: handle, dataDir: options.dataDir, logger })
      : new SyslogSource({ id, config: input, input: handle, dataDir: options.dataDir, logger });
  });
  const started: Source[] = [];
  try {
    for (const source of sources) {
      await source.start();
      started.push(source);
    }
  } catch (error) {
    await Promise.all(started.map((source) => source.stop()));
    await delivery.close();
    await Promise.all(started.map((source) => source.close()));
    throw error;
  }
  const handleHttp = createIngestHandler({
    input: delivery.input(options.httpInputId ?? 'http', 'http', httpInputParse),
    resolveParse: options.resolveParse,
    maxBodyBytes: config.http.max_body_bytes,
    timeoutMs: config.http.timeout,
  });
  let stopping: Promise<void> | undefined;
  return {
    delivery,
    metrics,
    sources,
    handleHttp,
    stop(timeoutMs = 30_000) {
      stopping ??= (async () => {
        logger.info('ingest stopping: delivering or spooling what is in memory');
        await Promise.all(sources.map((source) => source.stop().catch((error: unknown) => logger.warn('source did not stop cleanly', { input: source.id, error: describeError(error) }))));
        await delivery.close(timeoutMs);
        await Promise.all(sources.map((source) => source.close()));
        logger.info('ingest stopped');
      })();
      return stopping;
    },
  };
}
