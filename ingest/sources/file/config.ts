/**
 * The file input's options (an entry of `inputs:` with `type: file`). The keys of the current
 * core schema (`paths`, `exclude`, `pipeline`, `start_at`, `labels`) keep their meaning; the rest
 * tune reading, rotation and multiline assembly. Durations and sizes are strings users can read.
 */
import { z } from 'zod';
import { byteSize, durationMs } from '../../config-types.ts';
import { multilinePresets, type MultilineRule } from './multiline.ts';

const regex = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'a JavaScript regular expression' },
);

export const multilineConfigSchema = z
  .strictObject({
    /** A built-in rule: `java` or `python` stack traces. */
    preset: z.enum(Object.keys(multilinePresets) as [keyof typeof multilinePresets, ...(keyof typeof multilinePresets)[]]).optional(),
    /** A line matching this begins a new event; other lines join the open one. */
    start: regex.optional(),
    /** A line matching this joins the open event; other lines begin a new one. */
    continuation: regex.optional(),
    max_lines: z.int().positive().default(500),
    max_bytes: byteSize.default(1024 * 1024),
    /** An open event is emitted when no line came for this long. */
    timeout: durationMs.default(1000),
  })
  .refine((rule) => [rule.preset, rule.start, rule.continuation].filter((value) => value !== undefined).length === 1, {
    message: 'set exactly one of preset, start, continuation',
  });

export const fileInputConfigSchema = z.strictObject({
  type: z.literal('file'),
  id: z.string().min(1).optional(),
  /** Glob patterns (fast-glob syntax) of files to read; new matches are picked up while running. */
  paths: z.array(z.string().min(1)).min(1),
  exclude: z.array(z.string().min(1)).default([]),
  pipeline: z.string().min(1).optional(),
  /** For files found on this input's very first start: read them from the beginning or only what is appended. Files found later are always read whole. */
  start_at: z.enum(['beginning', 'end']).default('beginning'),
  labels: z.record(z.string(), z.string()).default({}),
  /** `lines`: one record per line; `ndjson`: one JSON object per line; `json_array`: the elements of a top-level array (read once, whole). */
  format: z.enum(['lines', 'ndjson', 'json_array']).default('lines'),
  /** Longer lines are cut to this and tagged `_truncated`. */
  max_line_bytes: byteSize.default(1024 * 1024),
  multiline: multilineConfigSchema.optional(),
  /** Read gzip files (recognized by their magic bytes), once and whole. */
  gzip: z.boolean().default(true),
  /** How often to look for new files (besides file-system events), and how often an idle file is checked for growth, truncation or rotation. */
  scan_interval: durationMs.default(10_000),
  poll_interval: durationMs.default(250),
  /** A file deleted or renamed out of `paths` is read to its end, then closed once it was idle this long. */
  close_removed_after: durationMs.default(5000),
  /** Any file idle this long is closed (and reopened when it grows). */
  close_inactive: durationMs.default(300_000),
  /** A file whose first 1024 bytes equal a file still being read is taken as its copy (copytruncate) for this long, then as a file of its own. */
  copy_grace: durationMs.default(30_000),
  /** Checkpoints of files not seen for this long are forgotten. */
  forget_after: durationMs.default(7 * 86_400_000),
  /** Checkpoints are written at most this often (and on shutdown). */
  checkpoint_interval: durationMs.default(1000),
  read_buffer_bytes: byteSize.default(256 * 1024),
});

export type FileInputConfig = z.output<typeof fileInputConfigSchema>;
export type FileInputConfigInput = z.input<typeof fileInputConfigSchema>;

/** The multiline rule a config describes, if any. */
export function multilineRule(config: FileInputConfig): MultilineRule | undefined {
  const multiline = config.multiline;
  if (!multiline) return undefined;
  const base = { maxLines: multiline.max_lines, maxBytes: multiline.max_bytes, timeoutMs: multiline.timeout };
  if (multiline.preset) return { ...base, continuation: multilinePresets[multiline.preset] };
  if (multiline.start !== undefined) return { ...base, start: new RegExp(multiline.start) };
  return { ...base, continuation: new RegExp(multiline.continuation ?? '') };
}
