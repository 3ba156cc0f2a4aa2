/**
 * Tails one plain file through an open descriptor, so a renamed or deleted file is still read to
 * its end. At each idle check it looks for truncation (size below the read position, or the first
 * bytes changed) and keeps the fingerprint growing up to 1024 bytes. It pauses while delivery is
 * full. It never emits an unfinished last line or an open multiline event at shutdown: the
 * checkpoint stays before them, so the next run reads them whole; it emits them when the file is
 * gone for good (deleted or renamed out of the globs and idle), or in `once` mode at the end.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { describeError } from '../../../core/errors.ts';
import { Wakeup } from '../../delivery/wakeup.ts';
import { FINGERPRINT_BYTES, fingerprint } from './identity.ts';
import { LineSplitter, type Line } from './lines.ts';
import { MultilineAssembler } from './multiline.ts';
import { lineRecord } from './records.ts';
import { FileRuns, type FileLines } from './runs.ts';
import type { FileState, ReaderContext } from './state.ts';

export type HarvestMode = 'tail' | 'once';
export type HarvestEnd = 'stopped' | 'truncated' | 'removed' | 'idle' | 'eof' | 'failed';

export class Harvester {
  readonly state: FileState;
  readonly #context: ReaderContext;
  readonly #mode: HarvestMode;
  readonly #wakeup = new Wakeup();
  readonly #buffer: Buffer;
  readonly #multiline: MultilineAssembler | undefined;
  /** Without multiline assembly, the lines of each read are queued as runs. */
  readonly #runs = new FileRuns();
  #splitter: LineSplitter;
  #stopped = false;
  /** The file's mtime when a check last found its first bytes unchanged. */
  #checkedMtime: bigint | undefined;
  readonly done: Promise<HarvestEnd>;

  constructor(state: FileState, context: ReaderContext, mode: HarvestMode) {
    this.state = state;
    this.#context = context;
    this.#mode = mode;
    this.#buffer = Buffer.allocUnsafe(context.config.read_buffer_bytes);
    this.#multiline = context.multiline ? new MultilineAssembler(context.multiline) : undefined;
    this.#splitter = new LineSplitter(state.emittedEnd, context.config.max_line_bytes);
    this.done = this.#run();
  }

  wake(): void {
    this.#wakeup.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeup.wake();
    await this.done;
  }

  async #run(): Promise<HarvestEnd> {
    const record = this.state.record;
    let handle: FileHandle;
    try {
      handle = await open(record.path, 'r');
      const info = await handle.stat({ bigint: true });
      // The path may point elsewhere since the scan (rotated in between): never read another file under this identity.
      if (info.dev.toString() !== record.dev || info.ino.toString() !== record.ino) {
        await handle.close();
        return 'removed';
      }
    } catch (error) {
      this.#context.input.metrics.error('receiving', `${record.path}: ${describeError(error)}`);
      return 'failed';
    }
    try {
      return await this.#loop(handle);
    } catch (error) {
      this.#context.input.metrics.error('receiving', `${record.path}: ${describeError(error)}`);
      this.#context.logger.warn('file read failed', { path: record.path, error: describeError(error) });
      return 'failed';
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  async #loop(handle: FileHandle): Promise<HarvestEnd> {
    const config = this.#context.config;
    let lastData = Date.now();
    let lastCheck = lastData;
    let missingSince: number | undefined;
    while (!this.#stopped) {
      await this.#context.input.ready();
      if (this.#stopped) break;
      // Also while data flows, so a truncation under a reader that is behind is caught within one interval.
      if (this.#mode === 'tail' && Date.now() - lastCheck >= config.poll_interval) {
        lastCheck = Date.now();
        if (await this.#truncated(handle)) {
          this.#flushMultiline();
          return 'truncated';
        }
      }
      const { bytesRead } = await handle.read(this.#buffer, 0, this.#buffer.length, this.#splitter.position);
      if (bytesRead > 0) {
        this.#consume(this.#buffer.subarray(0, bytesRead));
        lastData = Date.now();
        continue;
      }
      const now = Date.now();
      const due = this.#multiline?.due(now);
      if (due) this.#emit(due);
      if (this.#mode === 'once') {
        this.#flushAll();
        return 'eof';
      }
      lastCheck = now;
      if (await this.#truncated(handle)) {
        // The lines already read are complete; the file's new content starts over under a new identity.
        this.#flushMultiline();
        return 'truncated';
      }
      if (this.state.seenAt < this.#context.lastScanStartedAt()) {
        missingSince ??= now;
        if (now - Math.max(lastData, missingSince) >= config.close_removed_after) {
          this.#flushAll();
          return 'removed';
        }
      } else {
        missingSince = undefined;
      }
      if (now - lastData >= config.close_inactive && !this.#multiline?.pending) return 'idle';
      await this.#wakeup.wait(Math.min(config.poll_interval, this.#multiline?.msUntilDue(now) ?? Number.POSITIVE_INFINITY));
    }
    return 'stopped';
  }

  #consume(chunk: Buffer): void {
    const now = Date.now();
    if (this.#multiline) {
      for (const line of this.#splitter.push(chunk)) {
        const event = this.#multiline.push(line, now);
        if (event) this.#emit(event);
      }
      return;
    }
    this.#splitter.pushTo(chunk, this.#runs);
    const tracker = this.state.tracker;
    for (const run of this.#runs.take(this.#file(), chunk, (end) => tracker.track(end), now)) {
      this.#context.input.submitRun(run);
      this.state.emittedEnd = run.end;
    }
  }

  /** What the file's lines share, with the path as it is now: a rotated file's lines carry the name it was last found under. */
  #file(): FileLines {
    const { config, records } = this.#context;
    const { key, path } = this.state.record;
    return { key, path, format: config.format === 'ndjson' ? 'ndjson' : 'lines', context: records };
  }

  #emit(line: Line): void {
    const { key, path, format, context } = this.#file();
    const record = lineRecord(key, path, line, format, context);
    this.state.emittedEnd = line.end;
    this.#context.input.submit(record, this.state.tracker.track(line.end), line.text.length);
  }

  #flushMultiline(): void {
    const event = this.#multiline?.flush();
    if (event) this.#emit(event);
  }

  /** The file is finished: its last unterminated line and open event are emitted. */
  #flushAll(): void {
    const partial = this.#splitter.flushPartial();
    if (partial) {
      if (this.#multiline) {
        const event = this.#multiline.push(partial, Date.now());
        if (event) this.#emit(event);
      } else {
        this.#emit(partial);
      }
    }
    this.#flushMultiline();
  }

  /** Whether the file now holds other content than what was read: smaller than the read position, or other first bytes. */
  async #truncated(handle: FileHandle): Promise<boolean> {
    const record = this.state.record;
    const stat = await handle.stat({ bigint: true });
    const size = Number(stat.size);
    if (size < this.#splitter.position) return true;
    const want = Math.min(FINGERPRINT_BYTES, size);
    if (record.fp_len === FINGERPRINT_BYTES && size === this.#splitter.position && stat.mtimeNs === this.#checkedMtime) {
      // Fully fingerprinted, not grown since the last read and not written since the last check:
      // unchanged. (A file truncated and rewritten to the same size has another mtime.)
      return false;
    }
    const prefix = Buffer.alloc(want);
    const { bytesRead } = await handle.read(prefix, 0, want, 0);
    if (bytesRead < record.fp_len) return true;
    if (fingerprint(prefix.subarray(0, record.fp_len)) !== record.fp_hash) return true;
    if (bytesRead > record.fp_len) {
      record.fp_len = bytesRead;
      record.fp_hash = fingerprint(prefix.subarray(0, bytesRead));
      this.#context.checkpoints.changed();
    }
    this.#checkedMtime = stat.mtimeNs;
    return false;
  }
}
