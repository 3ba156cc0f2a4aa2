/**
 * A batch's events, made from its records as the store takes them. A store that serializes as it
 * goes (Elasticsearch) then holds one event at a time, and each dies young instead of the whole
 * batch being carried into the old generation while the rest is made. When the store could not
 * take the batch, `all()` makes every event again, for the spool or the next attempt.
 */
import type { JsonObject } from '../../core/event/types.ts';
import type { Pending } from './input.ts';

export class BatchEvents implements Iterable<JsonObject> {
  /**
   * The records whose events were made, in order (a record the pipeline dropped is not among
   * them): event `n` is record `keptIndex[n]` of `kept[n]`.
   */
  readonly kept: Pending[] = [];
  readonly keptIndex: number[] = [];
  readonly #taken: readonly Pending[];
  /** The first record whose event was not made yet: record `#nextIndex` of `#taken[#next]`. */
  #next = 0;
  #nextIndex = 0;

  constructor(taken: readonly Pending[]) {
    this.#taken = taken;
  }

  /** The events of the records not made yet; made once each (a dropped one is acknowledged as such). */
  *[Symbol.iterator](): Iterator<JsonObject> {
    while (this.#next < this.#taken.length) {
      const pending = this.#taken[this.#next] as Pending;
      const index = this.#nextIndex;
      if (++this.#nextIndex === pending.count) {
        this.#next++;
        this.#nextIndex = 0;
      }
      const event = pending.input.parse(pending, index);
      if (event === null) continue;
      this.kept.push(pending);
      this.keptIndex.push(index);
      yield event;
    }
  }

  /**
   * Every event of the batch, in the order of `kept`: those made already are made again from their
   * records without being counted twice (one the pipeline drops this time, a condition on the
   * clock, is acknowledged as dropped and leaves `kept`), then those never taken.
   */
  all(): JsonObject[] {
    const events: JsonObject[] = [];
    let kept = 0;
    for (let n = 0; n < this.kept.length; n++) {
      const pending = this.kept[n] as Pending;
      const index = this.keptIndex[n] as number;
      const event = pending.input.parse(pending, index, true);
      if (event === null) continue;
      this.kept[kept] = pending;
      this.keptIndex[kept++] = index;
      events.push(event);
    }
    this.kept.length = kept;
    this.keptIndex.length = kept;
    for (const event of this) events.push(event);
    return events;
  }
}
