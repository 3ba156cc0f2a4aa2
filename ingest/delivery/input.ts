/**
 * A source's handle on delivery: submit records (parsed here, through the input's pipeline, with
 * `event.id` forced back to the record's id), wait for room, count drops. Each record may carry an
 * acknowledgement callback, called exactly once when the store or the spool holds it, or when it
 * was dropped on purpose.
 */
import { describeError } from '../../core/errors.ts';
import { isPlainObject, type JsonObject } from '../../core/event/types.ts';
import type { Parse, RawRecord } from '../contract.ts';
import { defaultParse, mergeTags } from '../default-parse.ts';
import type { DropReason, InputMetrics } from './metrics.ts';

export type Outcome = { status: 'stored' | 'duplicate' | 'spooled' | 'dropped' } | { status: 'rejected'; reason: string };
export type Ack = (outcome: Outcome) => void;

/** A record on its way to the store. */
export interface Pending {
  input: InputMetrics;
  event: JsonObject;
  bytes: number;
  ack: Ack | undefined;
  receivedAt: number;
  enqueuedAt: number;
}

/** What delivery offers an input; implemented by Delivery. */
export interface DeliverySink {
  enqueue(pending: Pending): void;
  readonly full: boolean;
  readonly closing: boolean;
  ready(): Promise<void>;
}

/** Fixed per-event overhead of the context and metadata, for the byte estimate of text records. */
const EVENT_OVERHEAD_BYTES = 256;

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
   * Parses and queues one record. `sizeHint` is the record's raw size in bytes when the source
   * knows it (saves serializing objects just to measure them).
   */
  submit(record: RawRecord, ack?: Ack, sizeHint?: number): void {
    this.metrics.count('received');
    let event: JsonObject | null;
    try {
      event = this.#parse(record);
    } catch (error) {
      this.metrics.error('processing', describeError(error));
      event = failedParse(record, error);
    }
    if (event === null) {
      this.metrics.drop('pipeline');
      ack?.({ status: 'dropped' });
      return;
    }
    const section = event['event'];
    event['event'] = isPlainObject(section) ? { ...section, id: record.id } : { id: record.id };
    const bytes = sizeHint ?? (record.text !== undefined ? record.text.length : JSON.stringify(record.object ?? null).length);
    this.metrics.pending++;
    this.#sink.enqueue({ input: this.metrics, event, bytes: bytes + EVENT_OVERHEAD_BYTES, ack, receivedAt: record.receivedAt, enqueuedAt: Date.now() });
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
