/**
 * Turns per-record acknowledgements into a checkpoint: records are tracked in the order they were
 * read, each with the offset just past it, and the committed offset advances only over a prefix of
 * acknowledged records. Delivery acknowledges in order, so this is usually O(1); out-of-order
 * acknowledgements still never move the checkpoint past a record that is not yet safe.
 */
interface Tracked {
  end: number;
  done: boolean;
}

const COMPACT_AFTER = 1024;

export class AckTracker {
  #entries: Tracked[] = [];
  #head = 0;
  #committed: number;
  #onAdvance: (committed: number) => void;

  constructor(committed: number, onAdvance: (committed: number) => void = () => {}) {
    this.#committed = committed;
    this.#onAdvance = onAdvance;
  }

  /** The offset up to which every record is acknowledged. */
  get committed(): number {
    return this.#committed;
  }

  /** Records read and not yet acknowledged. */
  get pending(): number {
    return this.#entries.length - this.#head;
  }

  /** Registers a record ending at `end`; the returned function acknowledges it (once). */
  track(end: number): () => void {
    const entry: Tracked = { end, done: false };
    this.#entries.push(entry);
    return () => {
      if (entry.done) return;
      entry.done = true;
      this.#advance();
    };
  }

  #advance(): void {
    const before = this.#committed;
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head] as Tracked;
      if (!entry.done) break;
      this.#committed = entry.end;
      this.#head++;
    }
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    if (this.#committed !== before) this.#onAdvance(this.#committed);
  }
}
