/**
 * A syslog peer's messages from one read, queued as one run (delivery/input.ts) instead of a
 * record per message: the bytes read, and each message's range in them. A message becomes a
 * record (its text decoded, invalid UTF-8 replaced; its id; the peer's context) only when its
 * event is made, so a queued message costs a few bytes of offsets, not objects that would outlive
 * the young generation while their batch fills.
 */
import type { JsonObject } from '../../../core/event/types.ts';
import type { RawRecord } from '../../contract.ts';
import type { DeliveryInput, RecordRun } from '../../delivery/input.ts';
import { endOf, keptBytes, rangeBytes, wasCut } from '../byte-runs.ts';
import type { Peer, PeerSink } from './listeners.ts';

/** What every message of a peer shares: its id maker and its context (read-only: parses copy it). */
export interface PeerStream {
  ip: string;
  port: number;
  ids: (sequence: number) => string;
  context: Readonly<JsonObject>;
}

/**
 * Messages `first` to `end - 1` of `offsets`: message n is bytes [offsets[2n], offsets[2n + 1])
 * of `buffer`, the end stored as its bitwise complement (negative) when the message was cut.
 */
export class SyslogRun implements RecordRun {
  readonly receivedAt: number;
  /** A syslog sender gets no acknowledgement. */
  readonly ack = undefined;
  bytes: number;
  readonly #stream: PeerStream;
  readonly #buffer: Buffer;
  readonly #offsets: readonly number[];
  #first: number;
  readonly #end: number;
  #sequence: number;

  constructor(stream: PeerStream, sequence: number, buffer: Buffer, offsets: readonly number[], first: number, end: number, receivedAt: number) {
    this.#stream = stream;
    this.#sequence = sequence;
    this.#buffer = buffer;
    this.#offsets = offsets;
    this.#first = first;
    this.#end = end;
    this.receivedAt = receivedAt;
    this.bytes = rangeBytes(offsets, 2, first, end);
  }

  get count(): number {
    return this.#end - this.#first;
  }

  record(index: number): RawRecord {
    const at = 2 * (this.#first + index);
    const to = this.#offsets[at + 1] as number;
    const stream = this.#stream;
    const record: RawRecord = {
      id: stream.ids(this.#sequence + index),
      text: this.#buffer.toString('utf8', this.#offsets[at] as number, endOf(to)),
      object: undefined,
      context: stream.context,
      receivedAt: this.receivedAt,
    };
    if (wasCut(to)) record.tags = ['_truncated'];
    return record;
  }

  splitFront(count: number): SyslogRun {
    const front = new SyslogRun(this.#stream, this.#sequence, this.#buffer, this.#offsets, this.#first, this.#first + count, this.receivedAt);
    this.#first += count;
    this.#sequence += count;
    this.bytes -= front.bytes;
    return front;
  }
}

/**
 * A peer's sink: collects the messages framed from one read (one run per buffer they lie in: a
 * message completed from earlier chunks has a buffer of its own) and submits them as runs once
 * the read is framed.
 */
export class PeerRuns implements PeerSink {
  readonly #peer: Peer;
  readonly #input: Pick<DeliveryInput, 'submitRun'>;
  readonly #streamOf: (peer: Peer) => PeerStream;
  /** Runs framed from this read and not submitted yet, as [buffer, offsets] pairs (rarely more than one). */
  #done: [Buffer, number[]][] = [];
  #buffer: Buffer | undefined;
  #offsets: number[] = [];

  constructor(peer: Peer, input: Pick<DeliveryInput, 'submitRun'>, streamOf: (peer: Peer) => PeerStream) {
    this.#peer = peer;
    this.#input = input;
    this.#streamOf = streamOf;
  }

  frame(buffer: Buffer, from: number, to: number, truncated: boolean): void {
    if (buffer !== this.#buffer) {
      if (this.#buffer !== undefined && this.#offsets.length > 0) this.#done.push([this.#buffer, this.#offsets]);
      this.#buffer = buffer;
      this.#offsets = [];
    }
    this.#offsets.push(from, truncated ? ~to : to);
  }

  received(receivedAt: number): void {
    if (this.#buffer === undefined || this.#offsets.length === 0) return;
    const stream = this.#streamOf(this.#peer);
    if (this.#done.length > 0) {
      for (const [buffer, offsets] of this.#done) this.#submit(stream, buffer, offsets, receivedAt);
      this.#done = [];
    }
    this.#submit(stream, this.#buffer, this.#offsets, receivedAt);
    this.#buffer = undefined;
    this.#offsets = [];
  }

  #submit(stream: PeerStream, buffer: Buffer, offsets: number[], receivedAt: number): void {
    const count = offsets.length / 2;
    // Node gives each read a buffer of its own: only a large one mostly unused is copied.
    const kept = keptBytes(buffer, offsets, 2, false);
    const sequence = this.#peer.sequence;
    this.#peer.sequence += count;
    this.#input.submitRun(new SyslogRun(stream, sequence, kept, offsets, 0, count, receivedAt));
  }
}
