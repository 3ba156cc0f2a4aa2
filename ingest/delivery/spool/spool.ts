/**
 * The disk spool: where batches wait, in order, while the store is unavailable. Append-only
 * segment files under `<data>/spool/`, each append fsync'd before it is acknowledged (a spooled
 * batch is durable); bounded by `maxBytes`; replayed oldest first; a segment is deleted once every
 * entry in it was replayed. Replay after a crash may repeat the segment it was in: harmless, since
 * event ids make the store's write idempotent.
 */
import { mkdir, open, readdir, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../core/log.ts';
import { syncDirectory } from '../../checkpoints/atomic-file.ts';
import { decodePayload, encodeEntry, HEADER_BYTES, readHeader, type SpoolEntry } from './segment.ts';

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  segmentBytes: number;
  logger: Logger;
}

interface Segment {
  seq: number;
  path: string;
  /** Bytes of whole, durable entries. */
  size: number;
}

const SEGMENT_PATTERN = /^(\d{12})\.spool$/;

export class Spool {
  readonly #options: SpoolOptions;
  readonly #segments: Segment[] = [];
  #writer: FileHandle | undefined;
  #reader: { seq: number; handle: FileHandle } | undefined;
  /** Position of the next entry to replay in the oldest segment. */
  #readPosition = 0;
  #nextSeq = 1;
  #lock: Promise<unknown> = Promise.resolve();
  /** Bytes of the peeked entry, consumed by `advance()`. */
  #peeked = 0;

  private constructor(options: SpoolOptions) {
    this.#options = options;
  }

  /** Opens the spool directory, keeping what a previous run left to replay (a torn last entry is cut off). */
  static async open(options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(options);
    await mkdir(options.dir, { recursive: true });
    const names = (await readdir(options.dir)).filter((name) => SEGMENT_PATTERN.test(name)).sort();
    for (const name of names) {
      const path = join(options.dir, name);
      const seq = Number(SEGMENT_PATTERN.exec(name)?.[1]);
      spool.#segments.push({ seq, path, size: (await stat(path)).size });
      spool.#nextSeq = seq + 1;
    }
    const last = spool.#segments.at(-1);
    if (last) last.size = await spool.#validTail(last);
    return spool;
  }

  get bytes(): number {
    let total = 0;
    for (const segment of this.#segments) total += segment.size;
    return total;
  }

  get segmentCount(): number {
    return this.#segments.length;
  }

  /** Nothing left to replay. */
  get isEmpty(): boolean {
    if (this.#segments.length === 0) return true;
    return this.#segments.length === 1 && this.#readPosition >= (this.#segments[0] as Segment).size;
  }

  /** Whether an entry of this many bytes fits. An empty spool takes any one entry, so a huge batch cannot wedge delivery. */
  hasRoom(bytes: number): boolean {
    return this.isEmpty || this.bytes + bytes + HEADER_BYTES <= this.#options.maxBytes;
  }

  /** Appends a batch durably; false when it does not fit (the caller retries later). */
  append(entry: SpoolEntry): Promise<boolean> {
    return this.#serially(async () => {
      const frame = encodeEntry(entry);
      if (!this.hasRoom(frame.length)) return false;
      let current = this.#segments.at(-1);
      if (!current || !this.#writer || current.size >= this.#options.segmentBytes) {
        await this.#closeWriter();
        current = { seq: this.#nextSeq++, path: join(this.#options.dir, `${String(this.#nextSeq - 1).padStart(12, '0')}.spool`), size: 0 };
        this.#writer = await open(current.path, 'a');
        this.#segments.push(current);
        await syncDirectory(this.#options.dir);
      }
      await this.#writer.write(frame, 0, frame.length, current.size);
      await this.#writer.datasync();
      current.size += frame.length;
      return true;
    });
  }

  /** The oldest entry not yet replayed, or undefined. Call `advance()` once it is in the store. */
  peek(): Promise<SpoolEntry | undefined> {
    return this.#serially(async () => {
      for (;;) {
        const segment = this.#segments[0];
        if (!segment) return undefined;
        if (this.#readPosition >= segment.size) {
          if (this.#segments.length === 1) return undefined;
          await this.#dropOldest();
          continue;
        }
        const handle = await this.#readerFor(segment);
        const header = Buffer.alloc(HEADER_BYTES);
        await handle.read(header, 0, HEADER_BYTES, this.#readPosition);
        const check = readHeader(header);
        if (check.ok && this.#readPosition + HEADER_BYTES + check.length <= segment.size) {
          const payload = Buffer.alloc(check.length);
          await handle.read(payload, 0, check.length, this.#readPosition + HEADER_BYTES);
          const decoded = decodePayload(payload, check.crc);
          if (decoded.ok) {
            this.#peeked = HEADER_BYTES + check.length;
            return decoded.entry;
          }
          this.#options.logger.error('spool entry is corrupt; skipping the rest of its segment', { segment: segment.path, reason: decoded.reason });
        } else {
          this.#options.logger.error('spool entry is corrupt; skipping the rest of its segment', { segment: segment.path });
        }
        this.#readPosition = segment.size;
      }
    });
  }

  /** Marks the peeked entry replayed; deletes its segment once nothing in it is left. */
  advance(): Promise<void> {
    return this.#serially(async () => {
      this.#readPosition += this.#peeked;
      this.#peeked = 0;
      const oldest = this.#segments[0];
      if (oldest && this.#readPosition >= oldest.size) {
        if (this.#segments.length === 1) await this.#closeWriter();
        await this.#dropOldest();
      }
    });
  }

  close(): Promise<void> {
    return this.#serially(async () => {
      await this.#closeWriter();
      await this.#reader?.handle.close();
      this.#reader = undefined;
    });
  }

  async #dropOldest(): Promise<void> {
    const oldest = this.#segments.shift();
    if (!oldest) return;
    if (this.#reader?.seq === oldest.seq) {
      await this.#reader.handle.close();
      this.#reader = undefined;
    }
    if (this.#segments.length === 0) await this.#closeWriter();
    await unlink(oldest.path).catch(() => undefined);
    this.#readPosition = 0;
  }

  async #readerFor(segment: Segment): Promise<FileHandle> {
    if (this.#reader?.seq !== segment.seq) {
      await this.#reader?.handle.close();
      this.#reader = { seq: segment.seq, handle: await open(segment.path, 'r') };
    }
    return this.#reader.handle;
  }

  async #closeWriter(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    await writer?.close();
  }

  /** The length of the segment's whole, valid entries; a torn or corrupt tail is truncated away. */
  async #validTail(segment: Segment): Promise<number> {
    const handle = await open(segment.path, 'r');
    let position = 0;
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      while (position + HEADER_BYTES <= segment.size) {
        await handle.read(header, 0, HEADER_BYTES, position);
        const check = readHeader(header);
        if (!check.ok || position + HEADER_BYTES + check.length > segment.size) break;
        const payload = Buffer.alloc(check.length);
        await handle.read(payload, 0, check.length, position + HEADER_BYTES);
        if (!decodePayload(payload, check.crc).ok) break;
        position += HEADER_BYTES + check.length;
      }
    } finally {
      await handle.close();
    }
    if (position < segment.size) {
      this.#options.logger.warn('spool segment had a torn tail (a crash during a write); cut it off', { segment: segment.path, kept: position, size: segment.size });
      await truncate(segment.path, position);
    }
    return position;
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(work, work);
    this.#lock = run.catch(() => undefined);
    return run;
  }
}
