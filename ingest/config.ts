/**
 * Ingest's config schemas, for core/config/schema.ts to compose: one entry of `inputs:` (a file or
 * syslog input, with every option their sources take), and the `ingest:` section (delivery: batching,
 * queue, spool; the HTTP ingest body limit).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { byteSize, durationMs } from './config-types.ts';
import { deliveryConfigSchema } from './delivery/config.ts';
import { fileInputConfigSchema, type FileInputConfig } from './sources/file/config.ts';
import { syslogInputConfigSchema, type SyslogInputConfig } from './sources/syslog/config.ts';

export const ingestInputConfigSchema = z.discriminatedUnion('type', [fileInputConfigSchema, syslogInputConfigSchema]);
export type IngestInputConfig = z.output<typeof ingestInputConfigSchema>;

export const httpIngestConfigSchema = z.strictObject({
  max_body_bytes: byteSize.default(64 * 1024 * 1024),
  /** The API answers 503 when the store and the spool did not take a body's events within this. */
  timeout: durationMs.default(30_000),
});

export const ingestConfigSchema = z.strictObject({
  delivery: deliveryConfigSchema.default(deliveryConfigSchema.parse({})),
  http: httpIngestConfigSchema.default(httpIngestConfigSchema.parse({})),
});
export type IngestConfig = z.output<typeof ingestConfigSchema>;

/**
 * The id an input's checkpoints and metrics go by: its `id`, else one derived from what it reads
 * (the globs, or the protocol and port), so that it stays the same across restarts and reorderings.
 */
export function inputId(config: FileInputConfig | SyslogInputConfig): string {
  if (config.id) return config.id;
  if (config.type === 'syslog') return `syslog-${config.protocol}-${config.port}`;
  return `file-${createHash('sha256').update(config.paths.join('\n')).digest('hex').slice(0, 10)}`;
}
