/**
 * The live feed behind `/api/tail`: events this process has just stored, offered to subscribers.
 * `observeWrites` wraps a store so every successful write publishes what it stored. Validation is
 * repeated only while someone is listening, so the feed costs nothing otherwise.
 */
import type { FaultlineEvent, JsonObject } from '../../core/event/types.ts';
import { validateEvent } from '../../core/event/validate.ts';
import type { Store } from '../../store/contract.ts';
import { delegateStore } from '../../store/delegate.ts';

export type FeedListener = (events: readonly FaultlineEvent[]) => void;

export class LiveFeed {
  private readonly listeners = new Set<FeedListener>();

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get active(): boolean {
    return this.listeners.size > 0;
  }

  publish(events: readonly FaultlineEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) listener(events);
  }
}

/** The same store, publishing each write's stored events to the feed. */
export function observeWrites(store: Store, feed: LiveFeed): Store {
  const write: Store['write'] = async (source: Iterable<JsonObject>) => {
    // Without a listener the batch is not held here until the store answers.
    if (!feed.active) return store.write(source);
    const events = Array.from(source);
    const outcomes = await store.write(events);
    const stored: FaultlineEvent[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.status !== 'stored') return;
      const result = validateEvent(events[i]);
      if (result.ok) stored.push(result.event);
    });
    feed.publish(stored);
    return outcomes;
  };
  return delegateStore(store, { write });
}
