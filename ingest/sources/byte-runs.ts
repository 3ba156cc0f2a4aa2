/**
 * What the syslog and file sources' runs share (delivery/input.ts `RecordRun`): records kept as
 * byte ranges of the bytes read, decoded only when their events are made. `offsets` holds, per
 * record, `stride` numbers that begin with its range [from, to) in the run's buffer, `to` stored
 * as its bitwise complement (negative) when the record was cut.
 */

/** A buffer kept for a run is copied when the run uses less than half of it (a small read in a large allocation). */
const SPARE_BYTES = 16 * 1024;

/** The end of a range as stored. */
export function endOf(stored: number): number {
  return stored < 0 ? ~stored : stored;
}

/** Whether the record's range was stored as cut. */
export function wasCut(stored: number): boolean {
  return stored < 0;
}

/** The bytes of records `first` to `end - 1`. */
export function rangeBytes(offsets: readonly number[], stride: number, first: number, end: number): number {
  let bytes = 0;
  for (let n = first; n < end; n++) bytes += endOf(offsets[stride * n + 1] as number) - (offsets[stride * n] as number);
  return bytes;
}

/**
 * The buffer a run keeps while it waits in the queue: `buffer` itself, or a copy of the part its
 * ranges use (with `offsets` rebased in place) when `copy` says so (a reader that reuses its
 * buffer) or when they use less than half of it.
 */
export function keptBytes(buffer: Buffer, offsets: number[], stride: number, copy: boolean): Buffer {
  const from = offsets[0] as number;
  const to = endOf(offsets[offsets.length - stride + 1] as number);
  if (!copy && buffer.buffer.byteLength <= 2 * (to - from) + SPARE_BYTES) return buffer;
  for (let n = 0; n < offsets.length; n += stride) {
    offsets[n] = (offsets[n] as number) - from;
    const end = offsets[n + 1] as number;
    offsets[n + 1] = end < 0 ? ~(~end - from) : end - from;
  }
  return Buffer.from(buffer.subarray(from, to));
}
