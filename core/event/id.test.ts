import { describe, expect, it } from 'vitest';
import { canonicalJson, contentEventId, fileEventId, syslogEventId } from './id.ts';

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

  it('hash content independently of key order', () => {
    expect(contentEventId({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(contentEventId({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(contentEventId({ a: 1 })).not.toBe(contentEventId({ a: 2 }));
    expect(canonicalJson({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
  });
});
