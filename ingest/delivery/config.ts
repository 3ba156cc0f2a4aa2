/**
 * Delivery options (`ingest.delivery` in faultline.yaml once composed): batching, the bounded
 * in-memory queue, retries, and the disk spool.
 */
import { z } from 'zod';
import { byteSize, durationMs } from '../config-types.ts';

export const spoolConfigSchema = z.strictObject({
  /** The spool refuses batches beyond this; sources are then slowed and UDP drops are counted. */
  max_bytes: byteSize.default(1024 ** 3),
  /** A segment file is closed and a new one begun past this size. */
  segment_bytes: byteSize.default(16 * 1024 ** 2),
});

export const deliveryConfigSchema = z.strictObject({
  /** A batch is written when it holds this many events... */
  batch_max_events: z.int().positive().default(1000),
  /** ...or this many (estimated) bytes... */
  batch_max_bytes: byteSize.default(4 * 1024 ** 2),
  /** ...or its oldest event has waited this long... */
  flush_interval: durationMs.default(200),
  /** ...or no record has arrived for this long (the sources went quiet: waiting longer only delays); 0ms turns it off. */
  flush_idle: durationMs.default(20),
  /** Batches being written at once: one store request waits on the network while another is sent. */
  max_in_flight: z.int().min(1).max(16).default(2),
  /** Sources pause when the queue holds this many events or bytes. */
  queue_max_events: z.int().positive().default(20_000),
  queue_max_bytes: byteSize.default(32 * 1024 ** 2),
  /** Longest wait between retries of a store that is down. */
  retry_max_backoff: durationMs.default(10_000),
  spool: spoolConfigSchema.default(spoolConfigSchema.parse({})),
});

export type DeliveryConfig = z.output<typeof deliveryConfigSchema>;
export type DeliveryConfigInput = z.input<typeof deliveryConfigSchema>;
