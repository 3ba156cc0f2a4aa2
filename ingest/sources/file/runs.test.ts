import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../contract.ts';
import { LineSplitter } from './lines.ts';
import { lineRecord, type RecordContext } from './records.ts';
import { FileRuns, type FileLines, type FileRun } from './runs.ts';

const context: RecordContext = { hostName: 'h1', labels: { team: 'ops' } };
const RECEIVED = Date.UTC(2026, 11, 7);

function file(format: FileLines['format'] = 'lines'): FileLines {
  return { key: 'dev:ino:fp', path: '/var/log/app.log', format, context };
}

const records = (run: FileRun) => Array.from({ length: run.count }, (_, index) => run.record(index));

/**
 * The chunks pushed through a splitter into runs (each read's buffer overwritten after it is
 * taken, as the file reader reuses its buffer), beside the records the same chunks make one line
 * at a time.
 */
function both(chunks: Buffer[], { maxBytes = 1024, start = 0, format = 'lines' as FileLines['format'] } = {}) {
  const splitter = new LineSplitter(start, maxBytes);
  const sink = new FileRuns();
  const runs: FileRun[] = [];
  const tracked: number[] = [];
  for (const chunk of chunks) {
    const reused = Buffer.from(chunk);
    splitter.pushTo(reused, sink);
    runs.push(...sink.take(file(format), reused, (end) => (tracked.push(end), () => undefined), RECEIVED));
    reused.fill(0x21);
  }
  const lines = new LineSplitter(start, maxBytes);
  const expected: RawRecord[] = chunks.flatMap((chunk) => lines.push(chunk)).map((line) => lineRecord('dev:ino:fp', '/var/log/app.log', line, format, context, RECEIVED));
  return { runs, tracked, expected };
}

describe('FileRuns', () => {
  it('makes the records a line at a time would, from runs of each read, after the read buffer was overwritten', () => {
    const text = '\ufeffone\r\ntwo\nth';
    const { runs, tracked, expected } = both([Buffer.from(text), Buffer.from('ree\n\nfour é\n'), Buffer.from('five')]);
    // The second read: the line completed from both reads has a buffer of its own, then the rest.
    expect(runs.map((run) => [run.count, run.end])).toEqual([
      [2, 12],
      [1, 18],
      [2, 27],
    ]);
    expect(tracked).toEqual([12, 18, 27]);
    expect(runs.flatMap(records)).toEqual(expected);
    expect(expected.map((record) => [record.text, (record.context['log'] as { offset: number }).offset])).toEqual([
      ['one', 0],
      ['two', 8],
      ['three', 12],
      ['', 18],
      ['four é', 19],
    ]);
    expect(runs.reduce((bytes, run) => bytes + run.bytes, 0)).toBe(Buffer.byteLength('onetwothreefour é'));
  });

  it('tags cut lines, replaces invalid UTF-8 and parses NDJSON only when the record is made', () => {
    const long = `${'x'.repeat(40)}\n`;
    const bad = Buffer.from([0x61, 0xff, 0x62, 0x0a]);
    const { runs, expected } = both([Buffer.from(long), bad, Buffer.from('{"a":1}\nnot json\n')], { maxBytes: 16, start: 100, format: 'ndjson' });
    const made = runs.flatMap(records);
    expect(made).toEqual(expected);
    expect(made.map((record) => [record.text, record.object, record.tags])).toEqual([
      ['x'.repeat(16), undefined, ['_truncated', '_json_parse_failure']],
      ['a\ufffdb', undefined, ['_json_parse_failure']],
      [undefined, { a: 1 }, undefined],
      ['not json', undefined, ['_json_parse_failure']],
    ]);
    expect(made[0]?.id).not.toBe(made[1]?.id);
  });

  it('splits a run where a batch ends, the front ending where the rest begins, and acknowledges it once all its lines are', () => {
    const splitter = new LineSplitter(0, 1024);
    const sink = new FileRuns();
    let done = 0;
    splitter.pushTo(Buffer.from('a\nbb\nccc\ndddd\n'), sink);
    const [run] = sink.take(file(), Buffer.alloc(0), (end) => {
      expect(end).toBe(14);
      return () => done++;
    }, RECEIVED);
    if (!run) throw new Error('no run');
    const front = run.splitFront(2);
    expect([front.count, front.end, front.bytes, run.count, run.end, run.bytes]).toEqual([2, 5, 3, 2, 14, 7]);
    expect(records(front).map((record) => [record.text, (record.context['log'] as { offset: number }).offset])).toEqual([
      ['a', 0],
      ['bb', 2],
    ]);
    expect(records(run).map((record) => record.text)).toEqual(['ccc', 'dddd']);
    for (let n = 0; n < 3; n++) front.ack({ status: 'stored' });
    expect(done).toBe(0);
    run.ack({ status: 'spooled' });
    expect(done).toBe(1);
  });
});
