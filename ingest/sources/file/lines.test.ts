import { describe, expect, it } from 'vitest';
import { LineSplitter, type Line } from './lines.ts';
import { MultilineAssembler, multilinePresets } from './multiline.ts';

function split(chunks: (string | Buffer)[], maxBytes = 1024, start = 0): { lines: Line[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(start, maxBytes);
  const lines = chunks.flatMap((chunk) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  return { lines, splitter };
}

describe('LineSplitter', () => {
  it('splits LF and CRLF lines across chunks with the offset of each first byte', () => {
    const { lines, splitter } = split(['one\r\ntw', 'o\nthr', 'ee\n', 'four']);
    expect(lines).toEqual([
      { text: 'one', start: 0, end: 5, truncated: false },
      { text: 'two', start: 5, end: 9, truncated: false },
      { text: 'three', start: 9, end: 15, truncated: false },
    ]);
    expect(splitter.lineStart).toBe(15);
    expect(splitter.position).toBe(19);
    expect(splitter.flushPartial()).toEqual({ text: 'four', start: 15, end: 19, truncated: false });
  });

  it('starts at an offset, keeps empty lines, replaces invalid UTF-8, skips a BOM at offset 0', () => {
    expect(split(['\n\n'], 1024, 100).lines.map((line) => [line.text, line.start])).toEqual([
      ['', 100],
      ['', 101],
    ]);
    expect(split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])]).lines[0]?.text).toBe('a\ufffd\ufffdb');
    expect(split([Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69, 0x0a])]).lines[0]).toEqual({ text: 'hi', start: 0, end: 6, truncated: false });
  });

  it('truncates long lines at a character boundary, without buffering the rest', () => {
    const long = `${'é'.repeat(10)}${'x'.repeat(5000)}\nnext\n`;
    const { lines } = split([long.slice(0, 7), long.slice(7, 3000), long.slice(3000)], 15);
    expect(lines[0]).toEqual({ text: 'ééééééé', start: 0, end: Buffer.byteLength(long) - 5, truncated: true });
    expect(lines[1]).toMatchObject({ text: 'next', truncated: false });
  });
});

describe('MultilineAssembler', () => {
  const rule = { maxLines: 100, maxBytes: 10_000, timeoutMs: 1000 };

  it('assembles a Java stack trace with the java preset and keeps offsets of the first line and past the last', () => {
    const assembler = new MultilineAssembler({ ...rule, continuation: multilinePresets.java });
    const text = [
      '2026-01-01 ERROR request failed',
      'java.lang.IllegalStateException: boom',
      '\tat com.example.Foo.bar(Foo.java:10)',
      '\t... 3 more',
      'Caused by: java.io.IOException: disk',
      '\tat com.example.Disk.write(Disk.java:5)',
      '2026-01-01 INFO next',
      '',
    ].join('\n');
    const lines = split([text]).lines;
    const events = lines.map((line) => assembler.push(line, 0)).filter((event) => event !== undefined);
    expect(events).toHaveLength(1);
    expect(events[0]?.text.split('\n')).toHaveLength(6);
    expect(events[0]?.start).toBe(0);
    expect(events[0]?.end).toBe(lines[6]?.start);
    expect(assembler.due(999)).toBeUndefined();
    expect(assembler.due(1000)).toMatchObject({ text: '2026-01-01 INFO next' });
  });

  it('assembles a Python traceback with the python preset', () => {
    const assembler = new MultilineAssembler({ ...rule, continuation: multilinePresets.python });
    const text = [
      'ERROR:root:failed',
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      '    main()',
      'ValueError: bad value',
      'INFO:root:next',
      '',
    ].join('\n');
    const events = split([text])
      .lines.map((line) => assembler.push(line, 0))
      .filter((event) => event !== undefined);
    expect(events.map((event) => event.text.split('\n').length)).toEqual([5]);
  });

  it('with a start pattern, caps lines and bytes and tags the event truncated', () => {
    const assembler = new MultilineAssembler({ start: /^\[/, maxLines: 3, maxBytes: 10_000, timeoutMs: 10 });
    const lines = split(['[a\nb\nc\nd\ne\n[f\n']).lines;
    const events = lines.map((line) => assembler.push(line, 0)).filter((event) => event !== undefined);
    expect(events[0]).toMatchObject({ text: '[a\nb\nc', truncated: true, start: 0, end: 11 });
  });
});
