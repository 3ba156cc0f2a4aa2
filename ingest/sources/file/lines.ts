/**
 * Line framing of a byte stream: LF or CRLF endings, the byte offset of each line's first byte
 * (the event id depends on it), invalid UTF-8 replaced by U+FFFD, a leading BOM skipped, and lines
 * longer than `maxBytes` cut at a character boundary and marked truncated (the rest of such a line
 * is skipped without being buffered). Lines are handed on as byte ranges (`LineSink`), decoded only
 * when their record is made, or decoded at once as `Line`s (`push`).
 */
export interface Line {
  text: string;
  /** Offset of the line's first byte. */
  start: number;
  /** Offset just past its newline: where reading resumes after it. */
  end: number;
  truncated: boolean;
}

/** Receives complete lines as byte ranges, in order. */
export interface LineSink {
  /**
   * Bytes [from, to) of `bytes` are the line's text (its CR, a leading BOM and any cut part left
   * out); `start` is the offset of its first byte in the file, `end` the offset past its newline.
   * `bytes` is either the chunk being pushed or a buffer of the line's own (a line that spans chunks).
   */
  line(bytes: Buffer, from: number, to: number, start: number, end: number, truncated: boolean): void;
}

const LF = 0x0a;
const CR = 0x0d;

/** Decodes each line as it comes, for `push`. */
class Decoded implements LineSink {
  lines: Line[] = [];

  line(bytes: Buffer, from: number, to: number, start: number, end: number, truncated: boolean): void {
    this.lines.push({ text: bytes.toString('utf8', from, to), start, end, truncated });
  }
}

export class LineSplitter {
  readonly #maxBytes: number;
  /** Bytes of the line in progress (at most maxBytes of it). */
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /** Offset of the first byte of the line in progress. */
  #lineStart: number;
  /** Offset of the next byte to be pushed. */
  #position: number;
  #truncated = false;

  constructor(startOffset: number, maxBytes: number) {
    this.#lineStart = startOffset;
    this.#position = startOffset;
    this.#maxBytes = maxBytes;
  }

  /** Offset of the next byte expected. */
  get position(): number {
    return this.#position;
  }

  /** Offset where the unfinished line begins (equal to `position` when there is none). */
  get lineStart(): number {
    return this.#lineStart;
  }

  get hasPartial(): boolean {
    return this.#position > this.#lineStart;
  }

  /** Feeds the bytes that follow `position`; returns the lines they completed. */
  push(chunk: Buffer): Line[] {
    const decoded = new Decoded();
    this.pushTo(chunk, decoded);
    return decoded.lines;
  }

  /** Feeds the bytes that follow `position`; hands the lines they completed to `sink`. */
  pushTo(chunk: Buffer, sink: LineSink): void {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, from);
      if (newline === -1) break;
      this.#finish(chunk, from, newline, this.#position + newline + 1, sink);
      from = newline + 1;
    }
    if (from < chunk.length) this.#keep(chunk, from, chunk.length);
    this.#position += chunk.length;
  }

  /** The unfinished line as a line of its own (a file that ended without a final newline). */
  flushPartial(): Line | undefined {
    if (!this.hasPartial) return undefined;
    const decoded = new Decoded();
    this.#finish(Buffer.alloc(0), 0, 0, this.#position, decoded);
    return decoded.lines[0];
  }

  #keep(chunk: Buffer, from: number, to: number): void {
    const room = this.#maxBytes - this.#partialBytes;
    if (to - from > room) {
      this.#truncated = true;
      to = from + Math.max(0, room);
    }
    if (to > from) {
      // Copy: the reader reuses its buffer for the next chunk.
      this.#partial.push(Buffer.from(chunk.subarray(from, to)));
      this.#partialBytes += to - from;
    }
  }

  /** The line ending at the newline at `newline` of `chunk` (its bytes from `from`, after any kept before). */
  #finish(chunk: Buffer, from: number, newline: number, end: number, sink: LineSink): void {
    let bytes = chunk;
    let first = from;
    if (this.#partialBytes > 0) {
      this.#keep(chunk, from, newline);
      bytes = Buffer.concat(this.#partial, this.#partialBytes);
      first = 0;
      newline = bytes.length;
    }
    let length = newline - first;
    if (length > this.#maxBytes) {
      this.#truncated = true;
      length = this.#maxBytes;
    }
    if (!this.#truncated && length > 0 && bytes[first + length - 1] === CR) length--;
    if (this.#truncated) length = charBoundary(bytes, first, length);
    const start = this.#lineStart;
    const skip = start === 0 && bytes[first] === 0xef && bytes[first + 1] === 0xbb && bytes[first + 2] === 0xbf ? 3 : 0;
    const truncated = this.#truncated;
    if (this.#partialBytes > 0) {
      this.#partial = [];
      this.#partialBytes = 0;
    }
    this.#truncated = false;
    this.#lineStart = end;
    sink.line(bytes, first + skip, first + Math.max(skip, length), start, end, truncated);
  }
}

/** The largest length <= `length` of the bytes from `first` that does not end inside a UTF-8 sequence. */
function charBoundary(bytes: Buffer, first: number, length: number): number {
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[first + length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? length - back : length;
  }
  return length;
}
