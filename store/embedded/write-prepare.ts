/**
 * The main thread's share of a write: validate each event, serialize it, find its text, its
 * column values and its fields, and cut the batch into chunks for the writer, which inserts one while the next is prepared.
 */
import { contentEventId } from '../../core/event/id.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../../core/event/types.ts';
import { validateEvent } from '../../core/event/validate.ts';
import type { DeadLetter, WriteOutcome } from '../contract.ts';
import { FieldWalker } from './fields.ts';
import { rawText, TEXT_FIELDS, type RawText } from './text-index.ts';
import { columnValueAt, isMarker, VALUE_FIELDS, type ColumnValue } from './value-columns.ts';
import type { EventChunk } from './write-protocol.ts';

const MAX_DEAD_LETTER_ID = 512;

/** The walk that finds an event's fields also picks up its texts and column values, in this order. */
const CAPTURED: readonly string[] = [...TEXT_FIELDS, ...VALUE_FIELDS];

/** The walker prepareChunk needs: one per store, since it numbers the fields for the writer. */
export function eventWalker(): FieldWalker {
  return new FieldWalker(CAPTURED);
}

/** A chunk to send, and where its valid events' outcomes go once the writer answers. */
export interface PreparedChunk {
  message: EventChunk;
  /** Index in the batch of each valid event, in the chunk's order. */
  positions: number[];
}

export function prepareChunk(
  events: readonly JsonObject[],
  range: { batch: number; first: number; last: boolean },
  walker: FieldWalker,
  outcomes: WriteOutcome[],
  at: string,
): PreparedChunk {
  const ids: string[] = [];
  const ts: number[] = [];
  const docs: string[] = [];
  const texts: RawText[] = [];
  const values: ColumnValue[] = [];
  const fields: number[] = [];
  const fieldCounts: number[] = [];
  const deadLetters: [string, string][] = [];
  const positions: number[] = [];
  const mixed = new Set<string>();
  if (walker.captured !== CAPTURED) throw new Error('prepareChunk needs a walker from eventWalker()');
  const found = new Array<JsonValue | undefined>(CAPTURED.length);
  for (let index = 0; index < events.length; index++) {
    const input: unknown = events[index];
    const position = range.first + index;
    const result = validateEvent(input);
    if (!result.ok) {
      const id = rejectedId(input);
      const letter: DeadLetter = { reason: result.reason, at, event: asJson(input) };
      deadLetters.push([id, JSON.stringify(letter)]);
      outcomes[position] = { id, status: 'rejected', reason: result.reason };
      continue;
    }
    const event = result.event;
    const before = fields.length;
    found.fill(undefined);
    walker.collect(event, fields, found);
    fieldCounts.push(fields.length - before);
    ids.push(event.event.id);
    // Validation checked the form; Date.parse alone reads it.
    ts.push(Date.parse(event['@timestamp']));
    docs.push(JSON.stringify(event));
    for (let i = 0; i < TEXT_FIELDS.length; i++) texts.push(rawText(found[i]));
    for (let i = 0; i < VALUE_FIELDS.length; i++) {
      const value = columnValueAt(i, found[TEXT_FIELDS.length + i]);
      if (isMarker(value)) mixed.add(VALUE_FIELDS[i] as string);
      values.push(value);
    }
    positions.push(position);
  }
  const message: EventChunk = {
    type: 'events',
    batch: range.batch,
    first: range.first === 0,
    last: range.last,
    ids,
    ts: Float64Array.from(ts),
    docs,
    texts,
    values,
    mixed: [...mixed],
    fields: Int32Array.from(fields),
    fieldCounts: Uint16Array.from(fieldCounts),
    newFields: walker.takeNew().map((entry) => [entry.index, entry.name, entry.type]),
    deadLetters,
  };
  return { message, positions };
}

/** The id a rejected event is reported and dead-lettered under: its own when usable, else a hash of it. */
function rejectedId(input: unknown): string {
  if (isPlainObject(input)) {
    const section = input['event'];
    const own = isPlainObject(section) ? section['id'] : input['event.id'];
    if (typeof own === 'string' && own !== '' && own.length <= MAX_DEAD_LETTER_ID) return own;
  }
  return contentEventId(asJson(input));
}

/** The input as JSON; what JSON cannot hold (a BigInt, a cycle) is kept as its string form. */
function asJson(input: unknown): JsonValue {
  try {
    return JSON.parse(JSON.stringify(input) ?? 'null') as JsonValue;
  } catch {
    return String(input);
  }
}
