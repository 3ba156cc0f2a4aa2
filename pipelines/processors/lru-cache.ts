/**
 * A bounded cache for per-event lookups that repeat a lot (user agents, client IPs), written here
 * rather than taken from a library because the hit path must cost one Map lookup: two
 * generations, entries used in the old one move to the new one, and when the new one is full the
 * old one is dropped whole. It keeps between capacity/2 and capacity entries, roughly the most
 * recently used (an approximation of LRU that never reorders on a hit).
 */
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(0, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: K, value: V): void {
    if (this.generation === 0) return;
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
