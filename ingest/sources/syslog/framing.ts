/**
 * Syslog over a stream (RFC 6587): octet counting (`LEN SP MSG`) or newline-delimited messages,
 * detected per connection from its first byte (a digit means octet counting, as RFC 5425 and
 * RFC 6587 senders begin with the length; a newline-framed message begins with `<`). A frame whose
 * octet count is malformed (not digits then a space, a leading zero, absurdly long) is read up to
 * the next newline instead, so a confused sender cannot wedge the connection. Messages longer than
 * the limit are cut (and marked) without buffering the rest; invalid UTF-8 is replaced.
 */
export interface Frame {
  text: string;
  truncated: boolean;
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

  /** Feeds received bytes; returns the messages they completed. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
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
            // The whole message is in this chunk: decoded from it, not copied first.
            frames.push(this.#whole(chunk, i, i + take, false));
            this.#remaining = 0;
            i += take;
            break;
          }
          this.#keep(chunk, i, i + take);
          this.#remaining -= take;
          i += take;
          if (this.#remaining === 0) frames.push(this.#emit(false));
          break;
        }
        case 'line': {
          const newline = chunk.indexOf(LF, i);
          const end = newline === -1 ? chunk.length : newline;
          if (newline !== -1 && this.#kept === 0 && !this.#truncated) {
            const frame = this.#whole(chunk, i, end, true);
            if (frame.text !== '') frames.push(frame);
            i = end + 1;
            break;
          }
          this.#keep(chunk, i, end);
          i = end;
          if (newline !== -1) {
            i++;
            const frame = this.#emit(true);
            if (frame.text !== '') frames.push(frame);
          }
          break;
        }
      }
    }
    return frames;
  }

  /** At the end of the connection: an unfinished message, marked truncated when its octet count promised more. */
  end(): Frame | undefined {
    if (this.#state === 'length' && this.#lengthDigits !== '') {
      this.#keep(Buffer.from(this.#lengthDigits, 'latin1'), 0, this.#lengthDigits.length);
      this.#lengthDigits = '';
      this.#state = 'line';
    }
    if (this.#state === 'body') {
      this.#truncated = true;
      return this.#kept > 0 ? this.#emit(false) : undefined;
    }
    if (this.#state === 'line' && this.#kept > 0) {
      const frame = this.#emit(true);
      return frame.text === '' ? undefined : frame;
    }
    return undefined;
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
  #whole(chunk: Buffer, from: number, to: number, stripCr: boolean): Frame {
    const truncated = to - from > this.#maxBytes;
    if (truncated) to = from + this.#maxBytes;
    else if (stripCr && to > from && chunk[to - 1] === CR) to--;
    this.#state = 'frame';
    return { text: chunk.toString('utf8', from, to), truncated };
  }

  #emit(stripCr: boolean): Frame {
    let bytes = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts, this.#kept);
    if (stripCr && !this.#truncated && bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const frame: Frame = { text: bytes.toString('utf8'), truncated: this.#truncated };
    this.#parts = [];
    this.#kept = 0;
    this.#truncated = false;
    this.#state = 'frame';
    return frame;
  }
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}
