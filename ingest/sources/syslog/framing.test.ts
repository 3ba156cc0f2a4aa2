import { describe, expect, it } from 'vitest';
import { SyslogFramer, type FrameSink } from './framing.ts';

interface Frame {
  text: string;
  truncated: boolean;
}

/** The messages framed from `chunks`, decoded. */
function frames(chunks: (string | Buffer)[], max = 1024): Frame[] {
  const framer = new SyslogFramer(max);
  const out: Frame[] = [];
  const sink: FrameSink = { frame: (buffer, from, to, truncated) => out.push({ text: buffer.toString('utf8', from, to), truncated }) };
  for (const chunk of chunks) framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, sink);
  framer.end(sink);
  return out;
}

const texts = (list: Frame[]) => list.map((frame) => frame.text);

describe('SyslogFramer', () => {
  it('frames newline-delimited messages across chunks, CRLF or LF, skipping empty lines', () => {
    expect(texts(frames(['<13>one\r\n<13>t', 'wo\n\n<13>three']))).toEqual(['<13>one', '<13>two', '<13>three']);
  });

  it('frames octet-counted messages, which may contain newlines, across chunks', () => {
    const a = '<13>1 2026-01-01T00:00:00Z host app - - - multi\nline';
    const b = '<13>second';
    expect(texts(frames([`${Buffer.byteLength(a)} ${a.slice(0, 10)}`, `${a.slice(10)}${Buffer.byteLength(b)} `, b]))).toEqual([a, b]);
  });

  it('falls back to newline framing for a frame with a bad octet count, then resumes counting', () => {
    expect(texts(frames(['12x garbage here\n5 <13>a', '0 <13>b\n', '5 <13>c']))).toEqual(['12x garbage here', '<13>a', '0 <13>b', '<13>c']);
  });

  it('truncates long messages in both framings and marks them', () => {
    expect(frames([`<13>${'a'.repeat(100)}\n<13>ok\n`], 10)).toEqual([
      { text: '<13>aaaaaa', truncated: true },
      { text: '<13>ok', truncated: false },
    ]);
    expect(frames([`100 <13>${'b'.repeat(96)}3 <1>`], 10)).toEqual([
      { text: '<13>bbbbbb', truncated: true },
      { text: '<1>', truncated: false },
    ]);
  });

  it('emits a frame cut short by the end of the connection, marked truncated', () => {
    expect(frames(['50 <13>short'])).toEqual([{ text: '<13>short', truncated: true }]);
  });

  it('replaces invalid UTF-8', () => {
    expect(texts(frames([Buffer.from([0x3c, 0x31, 0x3e, 0xff, 0x0a])]))).toEqual(['<1>\ufffd']);
  });

  it('frames a stream the same however it is cut into chunks', () => {
    // Messages that fit one chunk are decoded from it; ones split across chunks are assembled first.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const messages = Array.from({ length: 300 }, (_, k) => `<${k % 192}>m${k} ${'é'.repeat(random(8))}${'x'.repeat(random(40))}`);
    for (const framing of ['newline', 'octet'] as const) {
      const stream = Buffer.from(
        messages.map((text, k) => (framing === 'octet' ? `${Buffer.byteLength(text)} ${text}` : `${text}${k % 3 === 0 ? '\r\n' : '\n'}`)).join(''),
      );
      const whole = frames([stream], 32);
      expect(whole).toHaveLength(messages.length);
      for (let round = 0; round < 20; round++) {
        const chunks: Buffer[] = [];
        for (let at = 0; at < stream.length; ) {
          const size = 1 + random(round < 10 ? 8 : 200);
          chunks.push(stream.subarray(at, at + size));
          at += size;
        }
        expect(frames(chunks, 32)).toEqual(whole);
      }
    }
  });
});
