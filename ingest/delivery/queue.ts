/**
 * The bounded in-memory queue between sources and the writer loop. Bounded softly: `push` always
 * succeeds (a source finishes the chunk it is in), `full` tells sources to stop, and `ready()`
 * resolves once the queue has drained to three quarters of its bounds, so sources resume in
 * strides rather than one event at a time.
 */
export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
}

export interface Sized {
  bytes: number;
}

const RESUME_FRACTION = 0.75;
const COMPACT_AFTER = 4096;

export class BoundedQueue<T extends Sized> {
  readonly limits: QueueLimits;
  #items: T[] = [];
  #head = 0;
  #bytes = 0;
  #waiters: (() => void)[] = [];

  constructor(limits: QueueLimits) {
    this.limits = limits;
  }

  get length(): number {
    return this.#items.length - this.#head;
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
    this.#bytes += item.bytes;
  }

  /** Takes up to `maxEvents` items (at least one when any) whose bytes stay within `maxBytes`. */
  take(maxEvents: number, maxBytes: number): T[] {
    const taken: T[] = [];
    let bytes = 0;
    while (this.#head < this.#items.length && taken.length < maxEvents) {
      const item = this.#items[this.#head] as T;
      if (taken.length > 0 && bytes + item.bytes > maxBytes) break;
      taken.push(item);
      bytes += item.bytes;
      // The slot lets go of the item: taken items would otherwise stay reachable until compaction.
      (this.#items as (T | undefined)[])[this.#head++] = undefined;
    }
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
