/**
 * File checkpoints of one input: per file identity, the offset up to which the store acknowledged
 * every record, plus what recognizes the file again after a restart or a rotation (device, inode,
 * fingerprint of its first bytes). Kept in memory, written atomically to
 * `<data>/checkpoints/<input>.json` at most once per interval and on close. A crash loses at most
 * the last interval's progress, which is then read again and deduplicated by the store (event ids
 * are deterministic), so nothing is lost and nothing is duplicated.
 */
import { join } from 'node:path';
import { isPlainObject, type JsonObject } from '../../core/event/types.ts';
import { readJson, writeJsonAtomic } from './atomic-file.ts';

export type FileKind = 'plain' | 'gzip';

export interface FileCheckpoint {
  /** The identity in event ids: fixed when the file was first seen, so a re-read yields the same ids. */
  key: string;
  /** Device and inode as decimal strings (inode numbers can exceed 2^53). */
  dev: string;
  ino: string;
  /** Fingerprint used to recognize the file: SHA-256 (hex) of its first `fp_len` bytes (up to 1024; grows as the file does). */
  fp_len: number;
  fp_hash: string;
  /** Acknowledged offset: bytes (of the decompressed stream for gzip), or elements for JSON arrays. */
  offset: number;
  path: string;
  kind: FileKind;
  /** Read to its end and not to be read again (gzip files and JSON arrays are read once, whole). */
  done: boolean;
  /** Epoch ms when a scan last found the file. */
  seen_at: number;
}

const VERSION = 1;

export class FileCheckpoints {
  readonly file: string;
  /** True when this input never ran before with this data directory (start_at applies only then). */
  readonly firstRun: boolean;
  readonly #records = new Map<string, FileCheckpoint>();
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;

  private constructor(file: string, firstRun: boolean, intervalMs: number, onError: (error: unknown) => void) {
    this.file = file;
    this.firstRun = firstRun;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  static async load(options: { dir: string; input: string; intervalMs?: number; onError?: (error: unknown) => void }): Promise<FileCheckpoints> {
    const file = join(options.dir, `${encodeURIComponent(options.input)}.json`);
    const saved = await readJson(file);
    const checkpoints = new FileCheckpoints(file, saved === undefined, options.intervalMs ?? 1000, options.onError ?? (() => {}));
    if (isPlainObject(saved) && Array.isArray(saved['files'])) {
      for (const entry of saved['files']) {
        const record = asCheckpoint(entry);
        if (record) checkpoints.#records.set(record.key, record);
      }
    }
    if (saved === undefined) checkpoints.#dirty = true;
    return checkpoints;
  }

  get(key: string): FileCheckpoint | undefined {
    return this.#records.get(key);
  }

  all(): FileCheckpoint[] {
    return [...this.#records.values()];
  }

  has(key: string): boolean {
    return this.#records.has(key);
  }

  set(record: FileCheckpoint): void {
    this.#records.set(record.key, record);
    this.changed();
  }

  delete(key: string): void {
    if (this.#records.delete(key)) this.changed();
  }

  /** Marks the state changed; it is written within the interval. */
  changed(): void {
    this.#dirty = true;
    if (this.#timer === undefined && this.#intervalMs > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flush().catch(this.#onError);
      }, this.#intervalMs);
      this.#timer.unref();
    }
  }

  /** Writes the state now if it changed (atomically: temp file, fsync, rename). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const run = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      const files = this.all().map((record): JsonObject => ({ ...record }));
      try {
        await writeJsonAtomic(this.file, { version: VERSION, files });
      } catch (error) {
        this.#dirty = true;
        throw error;
      }
    });
    this.#writing = run.catch(() => undefined);
    return run;
  }
}

function asCheckpoint(value: unknown): FileCheckpoint | undefined {
  if (!isPlainObject(value)) return undefined;
  const { key, dev, ino, fp_len, fp_hash, offset, path, kind, done, seen_at } = value;
  if (typeof key !== 'string' || typeof dev !== 'string' || typeof ino !== 'string' || typeof fp_len !== 'number') return undefined;
  if (typeof fp_hash !== 'string' || typeof offset !== 'number' || typeof path !== 'string') return undefined;
  return {
    key,
    dev,
    ino,
    fp_len,
    fp_hash,
    offset,
    path,
    kind: kind === 'gzip' ? 'gzip' : 'plain',
    done: done === true,
    seen_at: typeof seen_at === 'number' ? seen_at : Date.now(),
  };
}
