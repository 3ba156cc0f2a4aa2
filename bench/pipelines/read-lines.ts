/**
 * Reads a file in 1 MiB chunks and hands each line to a callback: what any pipeline run pays
 * before its first processor, measured alone as the benchmark's baseline.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function eachLine(file: string, onLine: (line: string) => void): number {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  // TextDecoder (simdutf) decodes several times faster than StringDecoder; `stream` keeps a
  // character cut by the end of a read for the next.
  const decoder = new TextDecoder();
  let rest = '';
  let count = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const text = rest + decoder.decode(buffer.subarray(0, read), { stream: true });
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        onLine(text.slice(start, end));
        count++;
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.decode();
    if (rest !== '') {
      onLine(rest);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}
