/**
 * Reading the benchmark's NDJSON files cheaply, so that neither the measured writer nor the bare
 * loader spends on reading what Elasticsearch could use (both share the machine's cores with it):
 * 1 MiB reads split at newlines, several times cheaper than `readline`.
 */
import { open } from 'node:fs/promises';

const READ_BYTES = 1 << 20;

/** The file's lines, one read's worth at a time (the last line without its newline included). */
export async function* lineBatches(file: string): AsyncGenerator<string[]> {
  const handle = await open(file, 'r');
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  // TextDecoder (simdutf) decodes several times faster than StringDecoder; `stream` keeps a
  // character cut by the end of a read for the next.
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const text = rest + decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
      const lines = text.split('\n');
      rest = lines.pop() as string;
      yield lines;
    }
    rest += decoder.decode();
    if (rest !== '') yield [rest];
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
