/**
 * Reads a file in 1 MiB chunks and hands each line to a callback: what any pipeline run pays
 * before its first processor, measured alone as the benchmark's baseline.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export function eachLine(file: string, onLine: (line: string) => void): number {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let count = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, read));
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        onLine(text.slice(start, end));
        count++;
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
    if (rest !== '') {
      onLine(rest);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}
