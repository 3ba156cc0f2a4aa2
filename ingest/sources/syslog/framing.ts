/**
 * Syslog over a stream (RFC 6587): octet counting (`LEN SP MSG`) or newline-delimited messages,
 * detected per connection from its first byte (a digit means octet counting, as RFC 5425 and
 * RFC 6587 senders begin with the length; a newline-framed message begins with `<`). A frame whose
 * octet count is malformed (not digits then a space, a leading zero, absurdly long) is read up to
 * the next newline instead, so a confused sender cannot wedge the connection. Messages longer than
 * the limit are cut (and marked) without buffering the rest. Messages are handed on as bytes, not
 * decoded: a message that lies whole in a chunk is a range of that chunk.
 */

/**
 * Where a framer puts the messages it completes: bytes [from, to) of `buffer` (never empty,
 * already cut at the limit, `truncated` when cut). A message that spanned chunks comes in a
 * buffer of its own.
 */
export interface FrameSink {
  frame(buffer: Buffer, from: number, to: number, truncated: boolean): void;
}

export type FramingMode = 'auto' | 'newline' | 'octet_counting';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const NUL = 0x00;
const MAX_LENGTH_DIGITS = 10;

type State = 'frame' | 'length' | 'body' | 'line';

export class SyslogFramer {
  readonly #maxBytes: number;
  #mode: FramingMode;
  #state: State = 'frame';
  #parts: Buffer[] = [];
  #kept = 0;
  #truncated = false;
  #lengthDigits = '';
  #remaining = 0;

  constructor(maxBytes: number, mode: FramingMode = 'auto') {
    this.#maxBytes = maxBytes;
    this.#mode = mode;
  }

  get mode(): FramingMode {
    return this.#mode;
  }

  /** Feeds received bytes; the messages they complete go to `sink`. */
  push(chunk: Buffer, sink: FrameSink): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.#state) {
        case 'frame': {
          const byte = chunk[i] as number;
          if (byte === LF || byte === CR || byte === NUL || (byte === SP && this.#mode === 'octet_counting')) {
            i++;
            break;
          }
          if (this.#mode === 'auto') this.#mode = isDigit(byte) ? 'octet_counting' : 'newline';
          this.#state = this.#mode === 'octet_counting' && isDigit(byte) ? 'length' : 'line';
          break;
        }
        case 'length': {
          const byte = chunk[i] as number;
          if (byte === SP && this.#validLength()) {
            this.#remaining = Number(this.#lengthDigits);
            this.#lengthDigits = '';
            this.#state = 'body';
            i++;
          } else if (isDigit(byte) && this.#lengthDigits.length < MAX_LENGTH_DIGITS) {
            this.#lengthDigits += String.fromCharCode(byte);
            i++;
          } else {
            // Not an octet count after all: this frame is a line, and the digits were its beginning.
            this.#keep(Buffer.from(this.#lengthDigits, 'latin1'), 0, this.#lengthDigits.length);
            this.#lengthDigits = '';
            this.#state = 'line';
          }
          break;
        }
        case 'body': {
          const take = Math.min(this.#remaining, chunk.length - i);
          if (take === this.#remaining && this.#kept === 0) {
            // The whole message is in this chunk: handed on as a range of it, not copied.
            this.#whole(chunk, i, i + take, false, sink);
            this.#remaining = 0;
            i += take;
            break;
          }
          this.#keep(chunk, i, i + take);
          this.#remaining -= take;
          i += take;
          if (this.#remaining === 0) this.#emit(false, sink);
          break;
        }
        case 'line': {
          const newline = chunk.indexOf(LF, i);
          const end = newline === -1 ? chunk.length : newline;
          if (newline !== -1 && this.#kept === 0 && !this.#truncated) {
            this.#whole(chunk, i, end, true, sink);
            i = end + 1;
            break;
          }
          this.#keep(chunk, i, end);
          i = end;
          if (newline !== -1) {
            i++;
            this.#emit(true, sink);
          }
          break;
        }
      }
    }
  }

  /** At the end of the connection: an unfinished message, marked truncated when its octet count promised more. */
  end(sink: FrameSink): void {
    if (this.#state === 'length' && this.#lengthDigits !== '') {
      this.#keep(Buffer.from(this.#lengthDigits, 'latin1'), 0, this.#lengthDigits.length);
      this.#lengthDigits = '';
      this.#state = 'line';
    }
    if (this.#state === 'body') {
      this.#truncated = true;
      if (this.#kept > 0) this.#emit(false, sink);
    } else if (this.#state === 'line' && this.#kept > 0) {
      this.#emit(true, sink);
    }
  }

  #validLength(): boolean {
    return this.#lengthDigits !== '' && this.#lengthDigits[0] !== '0';
  }

  #keep(chunk: Buffer, from: number, to: number): void {
    const room = this.#maxBytes - this.#kept;
    if (to - from > room) {
      this.#truncated = true;
      to = from + Math.max(0, room);
    }
    if (to > from) {
      this.#parts.push(Buffer.from(chunk.subarray(from, to)));
      this.#kept += to - from;
    }
  }

  /** A message that lies whole in `chunk[from, to)`, cut at the limit; the framer starts on the next frame. */
  #whole(chunk: Buffer, from: number, to: number, stripCr: boolean, sink: FrameSink): void {
    const truncated = to - from > this.#maxBytes;
    if (truncated) to = from + this.#maxBytes;
    else if (stripCr && to > from && chunk[to - 1] === CR) to--;
    this.#state = 'frame';
    if (to > from) sink.frame(chunk, from, to, truncated);
  }

  /** The message kept from earlier chunks. */
  #emit(stripCr: boolean, sink: FrameSink): void {
    const bytes = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts, this.#kept);
    let to = bytes.length;
    if (stripCr && !this.#truncated && to > 0 && bytes[to - 1] === CR) to--;
    if (to > 0) sink.frame(bytes, 0, to, this.#truncated);
    this.#parts = [];
    this.#kept = 0;
    this.#truncated = false;
    this.#state = 'frame';
  }
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}
