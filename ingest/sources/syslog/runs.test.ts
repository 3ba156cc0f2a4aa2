import { describe, expect, it } from 'vitest';
import type { RecordRun } from '../../delivery/input.ts';
import { SyslogFramer } from './framing.ts';
import type { Peer } from './listeners.ts';
import { PeerRuns, type PeerStream } from './runs.ts';

function peerRuns() {
  const runs: RecordRun[] = [];
  const peer: Peer = { id: 'tcp-1', sequence: 0, ip: '10.0.0.1', port: 514, transport: 'tcp', tls: false };
  const stream: PeerStream = { ip: peer.ip, port: peer.port, ids: (sequence) => `id-${sequence}`, context: { host: { ip: peer.ip } } };
  const sink = new PeerRuns(peer, { submitRun: (run) => runs.push(run) }, () => stream);
  return { runs, sink, peer };
}

const records = (run: RecordRun) => Array.from({ length: run.count }, (_, index) => run.record(index));

describe('PeerRuns', () => {
  it('queues the messages of each read as one run, made into records with consecutive ids', () => {
    const { runs, sink } = peerRuns();
    const framer = new SyslogFramer(1024);
    framer.push(Buffer.from('<13>one\n<13>two\n<13>thr'), sink);
    sink.received(1000);
    framer.push(Buffer.from('ee\n<13>four\n'), sink);
    sink.received(2000);
    sink.received(3000);
    // The second read: the message completed from both reads has a buffer of its own, then the rest.
    expect(runs.map((run) => [run.count, run.receivedAt])).toEqual([[2, 1000], [1, 2000], [1, 2000]]);
    const made = runs.flatMap(records);
    expect(made.map((record) => [record.id, record.text])).toEqual([
      ['id-0', '<13>one'],
      ['id-1', '<13>two'],
      ['id-2', '<13>three'],
      ['id-3', '<13>four'],
    ]);
    expect(made[0]).toMatchObject({ context: { host: { ip: '10.0.0.1' } }, receivedAt: 1000, object: undefined });
    expect(runs.reduce((bytes, run) => bytes + run.bytes, 0)).toBe('<13>one<13>two<13>three<13>four'.length);
  });

  it('tags cut messages, replaces invalid UTF-8 when the record is made, and copies what a run uses out of a large buffer', () => {
    const { runs, sink } = peerRuns();
    const big = Buffer.alloc(200_000, 0x0a);
    big.write('<13>caf\xe9 ok\n', 100_000, 'latin1');
    big.write('<13>far too long for the limit\n', 150_000, 'latin1');
    const framer = new SyslogFramer(10);
    framer.push(big.subarray(100_000, 150_040), sink);
    sink.received(1);
    // The run kept a copy of its messages' bytes, not the 200 kB allocation they were read into.
    big.fill(0x21);
    expect(runs).toHaveLength(1);
    const [first] = runs as [RecordRun];
    expect(first.count).toBe(2);
    expect(records(first).map((record) => [record.text, record.tags])).toEqual([
      ['<13>caf\ufffd o', ['_truncated']],
      ['<13>far to', ['_truncated']],
    ]);
    expect(first.bytes).toBe(20);
  });

  it('splits a run where a batch ends: the front keeps the first records, the run the rest', () => {
    const { runs, sink } = peerRuns();
    const framer = new SyslogFramer(1024);
    framer.push(Buffer.from('<13>a\n<13>bb\n<13>ccc\n<13>dddd\n'), sink);
    sink.received(5);
    const [run] = runs as [RecordRun];
    const front = run.splitFront(3);
    expect(records(front).map((record) => [record.id, record.text])).toEqual([
      ['id-0', '<13>a'],
      ['id-1', '<13>bb'],
      ['id-2', '<13>ccc'],
    ]);
    expect(records(run).map((record) => [record.id, record.text])).toEqual([['id-3', '<13>dddd']]);
    expect([front.bytes, run.bytes]).toEqual([5 + 6 + 7, 8]);
    expect(front.receivedAt).toBe(5);
  });
});
