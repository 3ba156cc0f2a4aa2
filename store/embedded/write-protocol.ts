/**
 * Messages between the store (main thread) and its writer, which owns every write to the file.
 * They are plain data, so they cross to a worker thread by structured clone, or are handed to the
 * same handler inline for an in-memory store.
 */
import type { FieldType } from '../../core/event/fields.ts';
import type { RawText } from './text-index.ts';
import type { ColumnValue } from './value-columns.ts';

/** Part of a batch of events, validated and serialized on the main thread. */
export interface EventChunk {
  type: 'events';
  batch: number;
  /** The first chunk opens the batch's transaction, the last commits it and answers. */
  first: boolean;
  last: boolean;
  // Flat arrays and typed arrays: structured clone copies them far faster than an object per event.
  ids: string[];
  ts: Float64Array;
  docs: string[];
  /** TEXT_FIELDS.length raw texts per event (null where it has no such text), all null for an event without text; the writer tokenizes them. */
  texts: RawText[];
  /** VALUE_FIELDS.length column values per event (value-columns.ts). */
  values: ColumnValue[];
  /** Value fields that got a marked row in this chunk. */
  mixed: string[];
  /** Indices of the fields each event holds values in (FieldWalker entries), event after event... */
  fields: Int32Array;
  /** ...so many for each event. */
  fieldCounts: Uint16Array;
  /** Field entries the writer has not been told about yet: [index, name, type]. */
  newFields: [number, string, FieldType][];
  /** Rejected events to keep as dead letters: [id, JSON of the DeadLetter]. */
  deadLetters: [string, string][];
}

export type WriterRequest =
  | EventChunk
  | { type: 'abort'; batch: number }
  | { type: 'putDocument'; kind: string; id: string; doc: string }
  | { type: 'deleteDocument'; kind: string; id: string }
  /** Deletes up to `limit` of the oldest events before `cutoff`, in one transaction. */
  | { type: 'deleteEvents'; cutoff: number; limit: number }
  | { type: 'close' };

export type WriterResult =
  /** Per event of the batch, in order: 1 stored, 0 duplicate; and the fields that got their first stored value here. */
  | { type: 'events'; stored: Uint8Array; fields: number[] }
  | { type: 'deleted'; count: number; removed: boolean }
  | { type: 'done' };

export type WriterReply = { ok: true; result: WriterResult } | { ok: false; code: string; message: string };

/** Requests after which the writer answers; the others are fire-and-forget (a non-last chunk). */
export function expectsReply(request: WriterRequest): boolean {
  return request.type !== 'events' || request.last;
}
