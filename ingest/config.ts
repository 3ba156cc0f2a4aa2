/**
 * Ingest's config schemas, for core/config/schema.ts to compose: one entry of `inputs:` (a file or
 * syslog input, with every option their sources take), and the `ingest:` section (delivery: batching,
 * queue, spool; `faultline ingest`'s batch size; the HTTP ingest body limit).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { byteSize, durationMs } from './config-types.ts';
import { deliveryConfigSchema, type DeliveryConfig } from './delivery/config.ts';
import { fileInputConfigSchema, type FileInputConfig } from './sources/file/config.ts';
import { syslogInputConfigSchema, type SyslogInputConfig } from './sources/syslog/config.ts';

export const ingestInputConfigSchema = z.discriminatedUnion('type', [fileInputConfigSchema, syslogInputConfigSchema]);
export type IngestInputConfig = z.output<typeof ingestInputConfigSchema>;

export const httpIngestConfigSchema = z.strictObject({
  max_body_bytes: byteSize.default(64 * 1024 * 1024),
  /** The API answers 503 when the store and the spool did not take a body's events within this. */
  timeout: durationMs.default(30_000),
});

/**
 * `faultline ingest` reads files as fast as the store takes them and nobody waits on a batch, so it
 * writes bigger batches than live inputs do: a bulk request of 5,000 events costs Elasticsearch
 * about a quarter less per event than five of 1,000 (fewer shard-level writes, fewer refreshes and
 * merges while it runs).
 */
export const backfillConfigSchema = z.strictObject({
  batch_max_events: z.int().positive().default(5000),
});

export const ingestConfigSchema = z.strictObject({
  delivery: deliveryConfigSchema.default(deliveryConfigSchema.parse({})),
  backfill: backfillConfigSchema.default(backfillConfigSchema.parse({})),
  http: httpIngestConfigSchema.default(httpIngestConfigSchema.parse({})),
});
export type IngestConfig = z.output<typeof ingestConfigSchema>;

/**
 * What `faultline ingest` delivers with: `ingest.delivery`, in batches of
 * `ingest.backfill.batch_max_events` (of the defaults when no configuration is given).
 */
export function backfillDelivery(config: IngestConfig = ingestConfigSchema.parse({})): DeliveryConfig {
  return { ...config.delivery, batch_max_events: config.backfill.batch_max_events };
}

/**
 * The id an input's checkpoints and metrics go by: its `id`, else one derived from what it reads
 * (the globs, or the protocol and port), so that it stays the same across restarts and reorderings.
 */
export function inputId(config: FileInputConfig | SyslogInputConfig): string {
  if (config.id) return config.id;
  if (config.type === 'syslog') return `syslog-${config.protocol}-${config.port}`;
  return `file-${createHash('sha256').update(config.paths.join('\n')).digest('hex').slice(0, 10)}`;
}
