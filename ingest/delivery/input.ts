/**
 * A source's handle on delivery: submit records, wait for room, count drops. Records queue as
 * they came and are parsed through the input's pipeline (with `event.id` forced back to the
 * record's id) one by one as the store takes their batch (batch.ts): a queued raw record is a few
 * small objects, an event is dozens, and each event then dies young instead of outliving the
 * queue or the rest of its batch. A source that reads many records at once (a syslog connection's
 * messages, a file's lines from one read) may queue them as one run, which makes each record only
 * when its event is made: a queued message is then a few bytes of offsets into the bytes read.
 * Each single record, and each run, may carry an acknowledgement callback, called exactly once per
 * record when the store or the spool holds it, or when it was dropped on purpose.
 */
import { describeError } from '../../core/errors.ts';
import { isPlainObject, type JsonObject } from '../../core/event/types.ts';
import type { Parse, RawRecord } from '../contract.ts';
import { defaultParse, mergeTags } from '../default-parse.ts';
import type { DropReason, InputMetrics } from './metrics.ts';
import type { Queued } from './queue.ts';

export type Outcome = { status: 'stored' | 'duplicate' | 'spooled' | 'dropped' } | { status: 'rejected'; reason: string };
export type Ack = (outcome: Outcome) => void;

/**
 * Records a source read together, each made on demand. `splitFront` hands the first records over
 * to a run of their own, and this run keeps the rest.
 */
export interface RecordRun {
  readonly count: number;
  /** The records' raw bytes. */
  readonly bytes: number;
  /** When the source read them. */
  readonly receivedAt: number;
  /**
   * Called once for each record of the run, in any order, when the store or the spool holds it or
   * it was dropped on purpose; the runs a split makes share it (see `runAck`). None: the source
   * needs no acknowledgement.
   */
  readonly ack: Ack | undefined;
  /** Record `index` (0 to count - 1), made anew on each call. */
  record(index: number): RawRecord;
  splitFront(count: number): RecordRun;
}

/** A run's acknowledgement: calls `done` once all `count` records have been acknowledged. */
export function runAck(count: number, done: () => void): Ack {
  let left = count;
  return () => {
    if (--left === 0) done();
  };
}

/** Records on their way to the store: one record (with its acknowledgement), or a run. */
export interface Pending extends Queued<Pending> {
  readonly input: DeliveryInput;
  readonly ack: Ack | undefined;
  readonly enqueuedAt: number;
  readonly receivedAt: number;
  record(index: number): RawRecord;
}

/** Fixed per-event overhead of the context and metadata, for the byte estimate of text records. */
const EVENT_OVERHEAD_BYTES = 256;

class PendingRecord implements Pending {
  readonly count = 1;
  readonly input: DeliveryInput;
  readonly bytes: number;
  readonly ack: Ack | undefined;
  readonly enqueuedAt: number;
  readonly #record: RawRecord;

  constructor(input: DeliveryInput, record: RawRecord, bytes: number, ack: Ack | undefined, enqueuedAt: number) {
    this.input = input;
    this.#record = record;
    this.bytes = bytes;
    this.ack = ack;
    this.enqueuedAt = enqueuedAt;
  }

  get receivedAt(): number {
    return this.#record.receivedAt;
  }

  record(): RawRecord {
    return this.#record;
  }

  splitFront(): Pending {
    throw new Error('a single record cannot be split');
  }
}

class PendingRun implements Pending {
  readonly input: DeliveryInput;
  readonly ack: Ack | undefined;
  readonly enqueuedAt: number;
  readonly #run: RecordRun;

  constructor(input: DeliveryInput, run: RecordRun, enqueuedAt: number) {
    this.input = input;
    this.#run = run;
    this.ack = run.ack;
    this.enqueuedAt = enqueuedAt;
  }

  get count(): number {
    return this.#run.count;
  }

  get bytes(): number {
    return this.#run.bytes + this.#run.count * EVENT_OVERHEAD_BYTES;
  }

  get receivedAt(): number {
    return this.#run.receivedAt;
  }

  record(index: number): RawRecord {
    return this.#run.record(index);
  }

  splitFront(count: number): Pending {
    const front = this.#run.splitFront(count);
    return new PendingRun(this.input, front, this.enqueuedAt);
  }
}

/** What delivery offers an input; implemented by Delivery. */
export interface DeliverySink {
  enqueue(pending: Pending): void;
  readonly full: boolean;
  readonly closing: boolean;
  ready(): Promise<void>;
}

export class DeliveryInput {
  readonly id: string;
  readonly metrics: InputMetrics;
  readonly #parse: Parse;
  readonly #sink: DeliverySink;

  constructor(metrics: InputMetrics, parse: Parse, sink: DeliverySink) {
    this.id = metrics.id;
    this.metrics = metrics;
    this.#parse = parse;
    this.#sink = sink;
  }

  /** True while delivery's queue is at its bound: stop reading (or, for UDP, drop and count). */
  get full(): boolean {
    return this.#sink.full;
  }

  /**
   * True once delivery is shutting down. Sources stop before that; the HTTP handler, which cannot
   * stop its senders, refuses new bodies from then on, so shutdown neither waits for them nor
   * leaves them waiting for an answer that will not come.
   */
  get closing(): boolean {
    return this.#sink.closing;
  }

  /** Resolves when there is room again; sources await it before reading more. */
  ready(): Promise<void> {
    return this.#sink.ready();
  }

  /**
   * Queues one record. `sizeHint` is the record's raw size in bytes when the source knows it
   * (saves serializing objects just to measure them).
   */
  submit(record: RawRecord, ack?: Ack, sizeHint?: number): void {
    this.metrics.count('received');
    const bytes = sizeHint ?? (record.text !== undefined ? record.text.length : JSON.stringify(record.object ?? null).length);
    this.metrics.pending++;
    this.#sink.enqueue(new PendingRecord(this, record, bytes + EVENT_OVERHEAD_BYTES, ack, Date.now()));
  }

  /** Queues a run of records, each acknowledged through the run's `ack` when it has one. */
  submitRun(run: RecordRun): void {
    this.metrics.count('received', run.count);
    this.metrics.pending += run.count;
    this.#sink.enqueue(new PendingRun(this, run, Date.now()));
  }

  /**
   * The event of a queued record (`index` in its run), through the input's pipeline; null when the pipeline dropped
   * it (then counted and acknowledged as dropped here). A pipeline that throws still yields the
   * event, tagged. `again`: the record was parsed before (delivery makes a batch's events again
   * when the store could not take them).
   */
  parse(pending: Pending, index: number, again = false): JsonObject | null {
    const record = pending.record(index);
    let event: JsonObject | null;
    try {
      event = this.#parse(record);
    } catch (error) {
      // Made again (for the spool), a failure was counted the first time.
      if (!again) this.metrics.error('processing', describeError(error));
      event = failedParse(record, error);
    }
    if (event === null) {
      this.metrics.pending--;
      this.metrics.drop('pipeline');
      pending.ack?.({ status: 'dropped' });
      return null;
    }
    const section = event['event'];
    // Pipelines and the default parse have set it already; a parse that did not is corrected here.
    if (!isPlainObject(section)) event['event'] = { id: record.id };
    else if (section['id'] !== record.id) event['event'] = { ...section, id: record.id };
    return event;
  }

  /** Counts records a source had to discard (UDP while everything is full). */
  drop(reason: DropReason, count = 1): void {
    this.metrics.drop(reason, count);
  }
}

/** A pipeline that threw still yields an event: the raw record, tagged, with the error. */
function failedParse(record: RawRecord, error: unknown): JsonObject {
  const event = defaultParse(record) ?? {};
  event['tags'] = mergeTags(event['tags'], ['_pipeline_error']);
  event['error'] = { message: describeError(error) };
  return event;
}
