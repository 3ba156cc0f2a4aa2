/**
 * Context of an event: its neighbours from the same source, before and after it in time. Built on
 * `search` with cursors, so every backend answers it the same way.
 */
import { FaultlineError } from '../core/errors.ts';
import { getField, type FaultlineEvent } from '../core/event/types.ts';
import type { Store } from './contract.ts';
import { encodeCursor, sortKeyOf } from './cursor.ts';
import { q, type QueryNode } from './query.ts';

/** Fields that identify where an event came from, most specific first: the first one present is used. */
export const SOURCE_FIELDS = ['log.file.path', 'host.name', 'event.dataset'] as const;

export interface ContextResult {
  event: FaultlineEvent;
  /** Oldest first, ending just before the event. */
  before: FaultlineEvent[];
  /** Oldest first, starting just after the event. */
  after: FaultlineEvent[];
  /** The field and value that defined "the same source", or null when the event names none. */
  source: { field: string; value: string } | null;
}

export function sourceOf(event: FaultlineEvent): { field: string; value: string } | null {
  for (const field of SOURCE_FIELDS) {
    const value = getField(event, field);
    if (typeof value === 'string' && value !== '') return { field, value };
  }
  return null;
}

/** The widest range a context search spans: all of time the stores can hold. */
const ALL_TIME = { from: 0, to: Date.UTC(9999, 0, 1) };

export async function eventContext(store: Store, id: string, counts: { before: number; after: number }): Promise<ContextResult> {
  const event = await store.getEvent(id);
  if (!event) throw new FaultlineError('FL_ERR_NOT_FOUND', `no event with id '${id}'`, { id });
  const source = sourceOf(event);
  const query: QueryNode = source ? q.term(source.field, source.value) : q.all();
  const key = sortKeyOf(event);
  const [older, newer] = await Promise.all([
    counts.before > 0
      ? store.search({ query, range: ALL_TIME, size: counts.before, sort: 'desc', cursor: encodeCursor({ ...key, sort: 'desc' }), trackTotal: false })
      : undefined,
    counts.after > 0
      ? store.search({ query, range: ALL_TIME, size: counts.after, sort: 'asc', cursor: encodeCursor({ ...key, sort: 'asc' }), trackTotal: false })
      : undefined,
  ]);
  return { event, before: (older?.events ?? []).reverse(), after: newer?.events ?? [], source };
}
