/**
 * Every write of the embedded store goes through here to its writer (write-channel.ts), one at a
 * time: event batches (one transaction each, prepared here chunk by chunk while the writer
 * inserts), documents, and retention. Only the writer ever takes the file's write lock, so the
 * main thread's connection never waits for it.
 *
 * A request takes its turn only to be prepared and posted: the writer applies messages in the
 * order they were posted, so batches never interleave, and with two writes in flight (as
 * delivery has by default) the next batch is validated here while the writer inserts this one.
 * Each write still answers only once the writer has committed its own transaction.
 */
import { FaultlineError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/event/types.ts';
import { DUPLICATE, STORED, type WriteOutcome } from '../contract.ts';
import type { FieldTypes } from './fields.ts';
import type { WriterChannel } from './write-channel.ts';
import { eventWalker, prepareChunk } from './write-prepare.ts';
import type { WriterRequest, WriterResult } from './write-protocol.ts';

/** Events per chunk: small enough that the writer starts early, large enough that messages stay few. */
const CHUNK_SIZE = 256;
const DELETE_CHUNK = 5000;

export class EventWriter {
  readonly #channel: WriterChannel;
  readonly #fields: FieldTypes;
  readonly #walker = eventWalker();
  #queue: Promise<unknown> = Promise.resolve();
  #batches = 0;
  #closed = false;

  constructor(channel: WriterChannel, fields: FieldTypes) {
    this.#channel = channel;
    this.#fields = fields;
  }

  write(events: Iterable<JsonObject>): Promise<WriteOutcome[]> {
    return this.#inTurn(() => this.#writeBatch(events));
  }

  /** Deletes events older than the cutoff a chunk per transaction, letting other writes in between. */
  async deleteBefore(cutoff: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const result = await this.send({ type: 'deleteEvents', cutoff, limit: DELETE_CHUNK });
      const count = result?.type === 'deleted' ? result.count : 0;
      removed += count;
      if (count < DELETE_CHUNK) return removed;
    }
  }

  /** Sends one request to the writer in turn with the batches. */
  send(request: WriterRequest): Promise<WriterResult | undefined> {
    return this.#inTurn(() => this.#channel.request(request));
  }

  close(): Promise<void> {
    const closing = this.#inTurn(() => this.#channel.close());
    this.#closed = true;
    return closing;
  }

  /**
   * Posts every chunk (or, failing, the abort) before its first await, as #inTurn needs. The events
   * are taken from `events` a chunk at a time, one ahead to know which chunk is the last: with
   * delivery's lazy batches, only a chunk's events are alive at once.
   */
  async #writeBatch(events: Iterable<JsonObject>): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = [];
    const iterator = events[Symbol.iterator]();
    let next = iterator.next();
    if (next.done === true) return outcomes;
    const batch = ++this.#batches;
    const at = new Date().toISOString();
    const positions: number[] = [];
    const sent: Promise<WriterResult | undefined>[] = [];
    let taken = 0;
    try {
      while (next.done !== true) {
        const first = taken;
        const slice: JsonObject[] = [];
        while (next.done !== true && slice.length < CHUNK_SIZE) {
          slice.push(next.value);
          next = iterator.next();
        }
        taken += slice.length;
        const chunk = prepareChunk(slice, { batch, first, last: next.done === true }, this.#walker, outcomes, at);
        positions.push(...chunk.positions);
        for (const field of chunk.message.mixed) this.#fields.markMixed(field);
        sent.push(this.#channel.request(chunk.message));
      }
    } catch (error) {
      await Promise.allSettled([...sent, this.#channel.request({ type: 'abort', batch })]);
      throw error;
    }
    outcomes.length = taken;
    // Only the last chunk is answered; awaiting them all also collects a stopped writer's refusals.
    const result = (await Promise.all(sent)).at(-1);
    if (result?.type !== 'events') throw new FaultlineError('FL_ERR_STORE_FAILED', `embedded store: the writer answered a batch with ${JSON.stringify(result?.type)}`);
    positions.forEach((position, i) => {
      outcomes[position] = result.stored[i] === 1 ? STORED : DUPLICATE;
    });
    for (const index of result.fields) {
      const entry = this.#walker.entry(index);
      this.#fields.remember(entry.name, entry.type);
    }
    return outcomes;
  }

  /**
   * Runs `post` once every request queued before it has been posted, and answers what its promise
   * settles with. `post` must post all its messages before its first await: the next request's
   * turn begins as soon as `post` returns.
   */
  #inTurn<T>(post: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new FaultlineError('FL_ERR_STORE_UNAVAILABLE', 'the embedded store is closed'));
    // Boxed, so that the turn ends when `post` returns, not when its answer arrives.
    const posted = this.#queue.then(() => ({ answer: post() }));
    this.#queue = posted.catch(() => undefined);
    return posted.then((box) => box.answer);
  }
}
