/** Option types shared by ingest's config schemas: durations and byte sizes as users write them. */
import { z } from 'zod';
import { parseDuration } from '../core/duration.ts';

/** A duration string (`200ms`, `5s`, `1m`) read as milliseconds. */
export const durationMs = z
  .string()
  .transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      context.addIssue({ code: 'custom', message: 'a duration such as 500ms, 30s, 5m, 2h, 1d' });
      return z.NEVER;
    }
    return ms;
  });

const SIZE_PATTERN = /^(\d+)\s*(b|kib|mib|gib|kb|mb|gb)?$/i;
const sizeUnits: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3 };

/** A byte size: a number of bytes, or a string such as `64KiB`, `16MiB`, `1GiB`. */
export const byteSize = z.union([
  z.int().positive(),
  z.string().transform((text, context) => {
    const match = SIZE_PATTERN.exec(text.trim());
    if (!match) {
      context.addIssue({ code: 'custom', message: 'a size such as 65536, 64KiB, 16MiB, 1GiB' });
      return z.NEVER;
    }
    return Number(match[1]) * (sizeUnits[(match[2] ?? 'b').toLowerCase()] ?? 1);
  }),
]);
