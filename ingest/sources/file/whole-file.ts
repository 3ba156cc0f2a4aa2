/**
 * Reads a file once, as a whole: gzip files (rotated logs; offsets count decompressed bytes) and
 * JSON array files (offsets count elements, streamed with stream-json in constant memory). A
 * resumed read decompresses or parses from the start and skips what the checkpoint covers. A file
 * that ends early (a gzip or array still being written) is left unfinished and retried once it
 * changes; the file is done once everything in it is acknowledged.
 */
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { describeError } from '../../../core/errors.ts';
import type { JsonValue } from '../../../core/event/types.ts';
import { LineSplitter, type Line } from './lines.ts';
import { MultilineAssembler } from './multiline.ts';
import { elementRecord, lineRecord } from './records.ts';
import type { FileState, ReaderContext } from './state.ts';

export type WholeFileEnd = 'eof' | 'stopped' | 'failed';

export class WholeFileReader {
  readonly state: FileState;
  readonly #context: ReaderContext;
  #stopped = false;
  readonly done: Promise<WholeFileEnd>;

  constructor(state: FileState, context: ReaderContext) {
    this.state = state;
    this.#context = context;
    this.done = this.#run();
  }

  wake(): void {}

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.done;
  }

  async #run(): Promise<WholeFileEnd> {
    const record = this.state.record;
    const source: Readable = createReadStream(record.path, { highWaterMark: this.#context.config.read_buffer_bytes });
    try {
      const end = this.#context.config.format === 'json_array' ? await this.#readArray(source) : await this.#readLines(source);
      if (end === undefined) return 'stopped';
      this.state.finishAt(end, this.#context.checkpoints);
      return 'eof';
    } catch (error) {
      this.#context.input.metrics.error('receiving', `${record.path}: ${describeError(error)}`);
      this.#context.logger.warn('file could not be read to its end; retrying when it changes', { path: record.path, error: describeError(error) });
      return 'failed';
    } finally {
      source.destroy();
    }
  }

  #bytes(source: Readable): Readable {
    return this.state.record.kind === 'gzip' ? pipeline(source, createGunzip(), () => {}) : source;
  }

  /** Lines (or NDJSON) from the checkpoint on; the end offset, or undefined when stopped. */
  async #readLines(source: Readable): Promise<number | undefined> {
    const { config, input, records } = this.#context;
    const skipTo = this.state.emittedEnd;
    const splitter = new LineSplitter(skipTo, config.max_line_bytes);
    const multiline = this.#context.multiline ? new MultilineAssembler(this.#context.multiline) : undefined;
    const emit = (line: Line) => {
      const raw = lineRecord(this.state.record.key, this.state.record.path, line, config.format === 'ndjson' ? 'ndjson' : 'lines', records);
      this.state.emittedEnd = line.end;
      input.submit(raw, this.state.tracker.track(line.end), line.text.length);
    };
    const take = (line: Line | undefined) => {
      if (!line) return;
      const event = multiline ? multiline.push(line, 0) : line;
      if (event) emit(event);
    };
    let position = 0;
    for await (const chunk of this.#bytes(source) as AsyncIterable<Buffer>) {
      if (this.#stopped) return undefined;
      const from = Math.max(0, skipTo - position);
      position += chunk.length;
      if (from >= chunk.length) continue;
      await input.ready();
      for (const line of splitter.push(from > 0 ? chunk.subarray(from) : chunk)) take(line);
    }
    take(splitter.flushPartial());
    const last = multiline?.flush();
    if (last) emit(last);
    return Math.max(position, skipTo);
  }

  /** Elements of a top-level JSON array from the checkpoint on; the element count, or undefined when stopped. */
  async #readArray(source: Readable): Promise<number | undefined> {
    const { input, records } = this.#context;
    const skip = this.state.emittedEnd;
    const items = pipeline(this.#bytes(source), streamArray.withParserAsStream(), () => {});
    let count = 0;
    for await (const item of items as AsyncIterable<{ key: number; value: JsonValue }>) {
      if (this.#stopped) return undefined;
      count = item.key + 1;
      if (item.key < skip) continue;
      if (input.full) await input.ready();
      const raw = elementRecord(this.state.record.key, this.state.record.path, item.key, item.value, records);
      this.state.emittedEnd = count;
      input.submit(raw, this.state.tracker.track(count));
    }
    return Math.max(count, skip);
  }
}
