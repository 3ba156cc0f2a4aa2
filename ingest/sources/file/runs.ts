/**
 * A file's lines from one read, queued as one run (delivery/input.ts) instead of a record per
 * line: the bytes read, and each line's range in them and offset in the file. A line becomes a
 * record (its text decoded, its id, its context, NDJSON parsed) only when its event is made, so a
 * line waiting for the store costs a few numbers, not objects that would outlive the young
 * generation. The run is one entry in the file's acknowledgement tracker: the checkpoint passes
 * its end once every line of it is stored, spooled or dropped.
 */
import type { RawRecord } from '../../contract.ts';
import { runAck, type Ack, type RecordRun } from '../../delivery/input.ts';
import { endOf, keptBytes, rangeBytes, wasCut } from '../byte-runs.ts';
import type { LineSink } from './lines.ts';
import { lineRecord, type LineFormat, type RecordContext } from './records.ts';

/** What every line of a file shares. */
export interface FileLines {
  /** The file's identity (event ids). */
  key: string;
  path: string;
  format: LineFormat;
  context: RecordContext;
}

/** Numbers per line in `offsets`: the range of its text in the buffer, and its first byte's offset in the file. */
const STRIDE = 3;

/**
 * Lines `first` to `end - 1` of `offsets`: line n's text is bytes [offsets[3n], offsets[3n + 1])
 * of `buffer` (the end stored as its bitwise complement when the line was cut) and it starts at
 * file offset offsets[3n + 2]; it ends where the next line starts, the last one at `lastEnd`.
 */
export class FileRun implements RecordRun {
  readonly receivedAt: number;
  readonly ack: Ack;
  bytes: number;
  readonly #file: FileLines;
  readonly #buffer: Buffer;
  readonly #offsets: readonly number[];
  #first: number;
  readonly #end: number;
  readonly #lastEnd: number;

  constructor(file: FileLines, buffer: Buffer, offsets: readonly number[], first: number, end: number, lastEnd: number, ack: Ack, receivedAt: number) {
    this.#file = file;
    this.#buffer = buffer;
    this.#offsets = offsets;
    this.#first = first;
    this.#end = end;
    this.#lastEnd = lastEnd;
    this.ack = ack;
    this.receivedAt = receivedAt;
    this.bytes = rangeBytes(offsets, STRIDE, first, end);
  }

  get count(): number {
    return this.#end - this.#first;
  }

  /** The file offset past the run's last line. */
  get end(): number {
    return this.#lastEnd;
  }

  record(index: number): RawRecord {
    const n = this.#first + index;
    const at = STRIDE * n;
    const offsets = this.#offsets;
    const to = offsets[at + 1] as number;
    const line = {
      text: this.#buffer.toString('utf8', offsets[at] as number, endOf(to)),
      start: offsets[at + 2] as number,
      end: n + 1 < this.#end ? (offsets[at + STRIDE + 2] as number) : this.#lastEnd,
      truncated: wasCut(to),
    };
    const file = this.#file;
    return lineRecord(file.key, file.path, line, file.format, file.context, this.receivedAt);
  }

  splitFront(count: number): FileRun {
    const end = this.#first + count;
    const front = new FileRun(this.#file, this.#buffer, this.#offsets, this.#first, end, this.#offsets[STRIDE * end + 2] as number, this.ack, this.receivedAt);
    this.#first = end;
    this.bytes -= front.bytes;
    return front;
  }
}

/** A finished run, before it is submitted. */
type Collected = [buffer: Buffer, offsets: number[], lastEnd: number];

/**
 * Collects the lines a splitter hands on from one read (one run per buffer they lie in: a line
 * completed from earlier reads has a buffer of its own), then makes them runs.
 */
export class FileRuns implements LineSink {
  #done: Collected[] = [];
  #buffer: Buffer | undefined;
  #offsets: number[] = [];
  #lastEnd = 0;

  line(bytes: Buffer, from: number, to: number, start: number, end: number, truncated: boolean): void {
    if (bytes !== this.#buffer) {
      this.#close();
      this.#buffer = bytes;
    }
    this.#offsets.push(from, truncated ? ~to : to, start);
    this.#lastEnd = end;
  }

  /**
   * The runs of the lines collected since the last call, in order, each acknowledged through
   * `track(lastEnd)` once all its lines are. Lines in `reused` (the reader's buffer, which the
   * next read overwrites) are copied out.
   */
  take(file: FileLines, reused: Buffer, track: (end: number) => () => void, receivedAt: number): FileRun[] {
    this.#close();
    const runs = this.#done.map(([buffer, offsets, lastEnd]) => {
      const count = offsets.length / STRIDE;
      const kept = keptBytes(buffer, offsets, STRIDE, buffer === reused);
      return new FileRun(file, kept, offsets, 0, count, lastEnd, runAck(count, track(lastEnd)), receivedAt);
    });
    this.#done = [];
    return runs;
  }

  #close(): void {
    if (this.#buffer !== undefined && this.#offsets.length > 0) this.#done.push([this.#buffer, this.#offsets, this.#lastEnd]);
    this.#buffer = undefined;
    this.#offsets = [];
  }
}
