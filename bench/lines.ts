/**
 * Reading the benchmarks' input files: 1 MiB reads, decoded with TextDecoder (simdutf; several
 * times faster than StringDecoder) and split at newlines. What any pipeline run pays before its
 * first processor (bench:pipelines measures it alone as its baseline), and cheap enough that
 * neither bench:store's measured writer nor its bare loader spends on reading what
 * Elasticsearch, sharing the cores, could use.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

const READ_BYTES = 1 << 20;

/** Bytes in, complete lines out; `stream` keeps a character or a line cut by the end of a read for the next. */
class LineDecoder {
  readonly #decoder = new TextDecoder();
  #rest = '';

  lines(bytes: Uint8Array): string[] {
    const lines = (this.#rest + this.#decoder.decode(bytes, { stream: true })).split('\n');
    this.#rest = lines.pop() as string;
    return lines;
  }

  /** The last line, when the file does not end with a newline. */
  end(): string[] {
    const rest = this.#rest + this.#decoder.decode();
    this.#rest = '';
    return rest === '' ? [] : [rest];
  }
}

/** Hands each line of the file to `onLine`, synchronously; returns how many there were. */
export function eachLine(file: string, onLine: (line: string) => void): number {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  const decoder = new LineDecoder();
  let count = 0;
  try {
    for (let read = readSync(fd, buffer, 0, READ_BYTES, null); read > 0; read = readSync(fd, buffer, 0, READ_BYTES, null)) {
      for (const line of decoder.lines(buffer.subarray(0, read))) {
        onLine(line);
        count++;
      }
    }
    for (const line of decoder.end()) {
      onLine(line);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

/** The file's lines, one read's worth at a time. */
export async function* lineBatches(file: string): AsyncGenerator<string[]> {
  const handle = await open(file, 'r');
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  const decoder = new LineDecoder();
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      yield decoder.lines(buffer.subarray(0, bytesRead));
    }
    const last = decoder.end();
    if (last.length > 0) yield last;
  } finally {
    await handle.close();
  }
}

/**
 * The file cut into pieces of `linesPerPiece` lines each (newlines kept), as bytes: a
 * pre-serialized bulk body is sent as it is on disk, never decoded. The last piece may be shorter.
 */
export async function* linePieces(file: string, linesPerPiece: number): AsyncGenerator<{ body: Buffer; lines: number }> {
  const handle = await open(file, 'r');
  let parts: Buffer[] = [];
  let lines = 0;
  try {
    for (;;) {
      // A new buffer for each read: the pieces sent from it are still in flight.
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const data = buffer.subarray(0, bytesRead);
      let start = 0;
      for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) {
        if (++lines < linesPerPiece) continue;
        parts.push(data.subarray(start, at + 1));
        yield { body: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), lines };
        parts = [];
        lines = 0;
        start = at + 1;
      }
      if (start < bytesRead) parts.push(data.subarray(start));
    }
    if (parts.length > 0) {
      const body = Buffer.concat(parts);
      // A last line without its newline counts too.
      yield { body, lines: body[body.length - 1] === 10 ? lines : lines + 1 };
    }
  } finally {
    await handle.close();
  }
}
