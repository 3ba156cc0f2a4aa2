/**
 * Line framing of a byte stream: LF or CRLF endings, the byte offset of each line's first byte
 * (the event id depends on it), invalid UTF-8 replaced by U+FFFD, a leading BOM skipped, and lines
 * longer than `maxBytes` cut at a character boundary and marked truncated (the rest of such a line
 * is skipped without being buffered).
 */
export interface Line {
  text: string;
  /** Offset of the line's first byte. */
  start: number;
  /** Offset just past its newline: where reading resumes after it. */
  end: number;
  truncated: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

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
    const lines: Line[] = [];
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, from);
      if (newline === -1) break;
      lines.push(this.#finish(chunk, from, newline, this.#position + newline + 1));
      from = newline + 1;
    }
    if (from < chunk.length) this.#keep(chunk, from, chunk.length);
    this.#position += chunk.length;
    return lines;
  }

  /** The unfinished line as a line of its own (a file that ended without a final newline). */
  flushPartial(): Line | undefined {
    if (!this.hasPartial) return undefined;
    const line = this.#finish(Buffer.alloc(0), 0, 0, this.#position);
    return line;
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

  #finish(chunk: Buffer, from: number, newline: number, end: number): Line {
    let bytes: Buffer;
    if (this.#partialBytes === 0) {
      bytes = chunk.subarray(from, newline);
    } else {
      this.#keep(chunk, from, newline);
      bytes = Buffer.concat(this.#partial, this.#partialBytes);
    }
    let length = bytes.length;
    if (length > this.#maxBytes) {
      this.#truncated = true;
      length = this.#maxBytes;
    }
    if (!this.#truncated && length > 0 && bytes[length - 1] === CR) length--;
    if (this.#truncated) length = charBoundary(bytes, length);
    const start = this.#lineStart;
    const skip = start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const line: Line = { text: bytes.toString('utf8', skip, Math.max(skip, length)), start, end, truncated: this.#truncated };
    this.#partial = [];
    this.#partialBytes = 0;
    this.#truncated = false;
    this.#lineStart = end;
    return line;
  }
}

/** The largest length <= `length` that does not end inside a UTF-8 sequence. */
function charBoundary(bytes: Buffer, length: number): number {
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? length - back : length;
  }
  return length;
}
