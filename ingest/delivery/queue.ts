/**
 * The bounded in-memory queue between sources and the writer loop. Bounded softly: `push` always
 * succeeds (a source finishes the chunk it is in), `full` tells sources to stop, and `ready()`
 * resolves once the queue has drained to three quarters of its bounds, so sources resume in
 * strides rather than one event at a time. An item may stand for several events (a run of syslog
 * messages from one read): the bounds and batches count events, and an item is split where a
 * batch ends.
 */
export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
}

export interface Queued<T> {
  /** The events it stands for. */
  readonly count: number;
  readonly bytes: number;
  /** Its first `count` events (fewer than it has) as an item of their own; it keeps the rest. */
  splitFront(count: number): T;
}

const RESUME_FRACTION = 0.75;
const COMPACT_AFTER = 4096;

export class BoundedQueue<T extends Queued<T>> {
  readonly limits: QueueLimits;
  #items: T[] = [];
  #head = 0;
  #count = 0;
  #bytes = 0;
  #waiters: (() => void)[] = [];

  constructor(limits: QueueLimits) {
    this.limits = limits;
  }

  /** The events queued. */
  get length(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get full(): boolean {
    return this.length >= this.limits.maxEvents || this.#bytes >= this.limits.maxBytes;
  }

  /** The oldest item, without taking it. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  push(item: T): void {
    this.#items.push(item);
    this.#count += item.count;
    this.#bytes += item.bytes;
  }

  /**
   * Takes items of up to `maxEvents` events (at least one item when any) whose bytes stay within
   * `maxBytes`; an item with more events than the batch has room for is split.
   */
  take(maxEvents: number, maxBytes: number): T[] {
    const taken: T[] = [];
    let count = 0;
    let bytes = 0;
    while (this.#head < this.#items.length && count < maxEvents) {
      let item = this.#items[this.#head] as T;
      if (taken.length > 0 && bytes + item.bytes > maxBytes) break;
      if (count + item.count > maxEvents) {
        item = item.splitFront(maxEvents - count);
      } else {
        // The slot lets go of the item: taken items would otherwise stay reachable until compaction.
        (this.#items as (T | undefined)[])[this.#head++] = undefined;
      }
      taken.push(item);
      count += item.count;
      bytes += item.bytes;
    }
    this.#count -= count;
    this.#bytes -= bytes;
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#release();
    return taken;
  }

  /** Resolves at once when not full, else once the queue drained to its resume mark. */
  ready(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Wakes every waiter whatever the queue holds (shutdown). */
  releaseAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #release(): void {
    if (this.#waiters.length === 0) return;
    if (this.length > this.limits.maxEvents * RESUME_FRACTION || this.#bytes > this.limits.maxBytes * RESUME_FRACTION) return;
    this.releaseAll();
  }
}
