import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson, contentEventId, fileEventId, syslogEventId, syslogStreamIds } from './id.ts';

describe('event ids', () => {
  it('are deterministic, 22 url-safe characters', () => {
    expect(fileEventId('dev:1/ino:2/fp:abc', 120)).toBe(fileEventId('dev:1/ino:2/fp:abc', 120));
    expect(fileEventId('dev:1/ino:2/fp:abc', 120)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('differ for identical lines at different offsets, and across sources', () => {
    expect(fileEventId('f', 0)).not.toBe(fileEventId('f', 1));
    expect(syslogEventId('rx', 'c1', 1)).not.toBe(syslogEventId('rx', 'c1', 2));
    expect(syslogEventId('a', 'bc', 1)).not.toBe(syslogEventId('ab', 'c', 1));
  });

  it('keep the events of a stream together: a shared prefix per file or connection, then the position', () => {
    const first = fileEventId('dev:1/ino:2/fp:abc', 1_000);
    const next = fileEventId('dev:1/ino:2/fp:abc', 1_080);
    expect(first.slice(0, 10)).toBe(next.slice(0, 10));
    expect(fileEventId('dev:1/ino:3/fp:abc', 1_000).slice(0, 10)).not.toBe(first.slice(0, 10));
    expect(Buffer.from(next, 'base64url').readBigUInt64BE(8)).toBe(1_080n);
    expect(syslogEventId('rx', 'c1', 7).slice(0, 10)).toBe(syslogEventId('rx', 'c1', 8).slice(0, 10));
    expect(syslogEventId('rx', 'c1', 7)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('encode prefix and position exactly as the bytes in base64url, for any position up to 2^53', () => {
    // The bytes written out with Buffer, as ids were made before the encoding was done by hand: a
    // file re-read after an upgrade must get the ids it had, or its events would be stored twice.
    const reference = (parts: string[], position: number): string => {
      const hash = createHash('sha256');
      for (const part of parts) hash.update(`${part.length}:${part}|`);
      const bytes = Buffer.alloc(16);
      hash.digest().copy(bytes, 0, 0, 8);
      bytes.writeBigUInt64BE(BigInt(position), 8);
      return bytes.toString('base64url');
    };
    const positions = [0, 1, 255, 256, 65_535, 2 ** 24 - 1, 2 ** 24, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER];
    for (let k = 0; k < 2000; k++) positions.push(Math.floor(Math.random() * 2 ** (1 + (k % 53))));
    const ids = syslogStreamIds('rx', 'tcp-7');
    for (const position of positions) {
      expect(fileEventId('dev:1/ino:2/fp:abc', position)).toBe(reference(['file', 'dev:1/ino:2/fp:abc'], position));
      expect(syslogEventId('rx', 'tcp-7', position)).toBe(reference(['syslog', 'rx', 'tcp-7'], position));
      expect(ids(position)).toBe(reference(['syslog', 'rx', 'tcp-7'], position));
    }
    expect(fileEventId('dev:1/ino:2/fp:abc', 120)).toBe('Ey1Pfbt-09AAAAAAAAAAeA');
  });

  it('hash content independently of key order', () => {
    expect(contentEventId({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(contentEventId({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(contentEventId({ a: 1 })).not.toBe(contentEventId({ a: 2 }));
    expect(canonicalJson({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
  });
});
