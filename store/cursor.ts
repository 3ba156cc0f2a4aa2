/**
 * Cursors for keyset pagination: the sort key (@timestamp in ms, event.id) of the last event of a
 * page. Both backends resume strictly after it, so pages never skip or repeat an event, even while
 * writes go on.
 */
import { FaultlineError } from '../core/errors.ts';
import type { FaultlineEvent } from '../core/event/types.ts';
import type { SortOrder } from './contract.ts';

export interface SortKey {
  ts: number;
  id: string;
}

export interface Cursor extends SortKey {
  sort: SortOrder;
}

export function sortKeyOf(event: FaultlineEvent): SortKey {
  return { ts: Date.parse(event['@timestamp']), id: event.event.id };
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.ts, cursor.id])).toString('base64url');
}

/** Decodes a cursor; one made for the other sort order, or not made here at all, is refused. */
export function decodeCursor(text: string, sort: SortOrder): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    (parsed[0] !== 'asc' && parsed[0] !== 'desc') ||
    !Number.isFinite(parsed[1]) ||
    typeof parsed[2] !== 'string'
  ) {
    throw new FaultlineError('FL_ERR_CURSOR_INVALID', 'the cursor is not one this server issued; start again without a cursor', {
      cursor: text.slice(0, 100),
    });
  }
  if (parsed[0] !== sort) {
    throw new FaultlineError('FL_ERR_CURSOR_INVALID', `the cursor was issued for sort=${parsed[0]}, not sort=${sort}`, { sort });
  }
  return { sort, ts: parsed[1] as number, id: parsed[2] as string };
}

/** True when key `a` sorts before `b` in ascending order. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
