/**
 * Field types for the query parser, from the store's field list, cached for a few seconds so a
 * search does not ask the store for its mapping every time.
 */
import type { FieldType } from '../../core/event/fields.ts';
import type { Store } from '../../store/contract.ts';

export class FieldTypes {
  private types = new Map<string, FieldType>();
  private fetchedAt = 0;
  private pending: Promise<void> | undefined;
  private readonly store: Store;
  private readonly ttlMs: number;

  constructor(store: Store, ttlMs = 5000) {
    this.store = store;
    this.ttlMs = ttlMs;
  }

  /** A lookup function with fresh-enough types. */
  async lookup(): Promise<(name: string) => FieldType | undefined> {
    if (Date.now() - this.fetchedAt > this.ttlMs) {
      this.pending ??= this.store
        .fields()
        .then((fields) => {
          this.types = new Map(fields.map((field) => [field.name, field.type]));
          this.fetchedAt = Date.now();
        })
        .finally(() => (this.pending = undefined));
      await this.pending;
    }
    const types = this.types;
    return (name) => types.get(name);
  }
}
