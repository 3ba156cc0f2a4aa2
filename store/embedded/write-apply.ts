/**
 * The writer's side: applies requests to its own connection. Runs in the writer thread (or
 * inline, for an in-memory store); nothing here knows which.
 */
import { isFaultlineError } from '../../core/errors.ts';
import type { FieldType } from '../../core/event/fields.ts';
import type { JsonObject } from '../../core/event/types.ts';
import { DEAD_LETTER_KIND } from '../contract.ts';
import type { Connection } from './connection.ts';
import { FieldWalker } from './fields.ts';
import { indexTexts, INSERT_TEXT, TEXT_FIELDS, textValues } from './text-index.ts';
import { INSERT_EVENT, recordMixedValueFields, VALUE_FIELDS } from './value-columns.ts';
import { expectsReply, type EventChunk, type WriterReply, type WriterRequest, type WriterResult } from './write-protocol.ts';

const PUT_DOCUMENT = 'INSERT INTO documents (kind, id, doc) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc';
const COUNT_FIELD = 'INSERT INTO fields (name, type, events) VALUES (?, ?, max(0, ?)) ON CONFLICT (name) DO UPDATE SET events = max(0, events + ?3)';

interface OpenBatch {
  id: number;
  stored: number[];
  /** Events stored in this batch per field index (the indices are small and dense). */
  counts: number[];
  failure: unknown;
}

export class WriteHandler {
  readonly #connection: Connection;
  readonly #fieldNames = new Map<number, { name: string; type: FieldType }>();
  #batch: OpenBatch | undefined;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  /** Applies one request; answers when the request expects an answer, errors included. */
  handle(request: WriterRequest): WriterReply | undefined {
    try {
      const result = this.#apply(request);
      return result && { ok: true, result };
    } catch (error) {
      // A request without an answer is part of a batch: its batch's answer carries the error.
      if (expectsReply(request)) return failure(error);
      if (this.#batch) this.#batch.failure ??= error;
      return undefined;
    }
  }

  #apply(request: WriterRequest): WriterResult | undefined {
    switch (request.type) {
      case 'events':
        return this.#events(request);
      case 'abort':
        this.#rollback();
        this.#batch = undefined;
        return { type: 'done' };
      case 'putDocument':
        this.#connection.transaction(() => this.#connection.statement(PUT_DOCUMENT).run(request.kind, request.id, request.doc));
        return { type: 'done' };
      case 'deleteDocument': {
        const { changes } = this.#connection.transaction(() =>
          this.#connection.statement('DELETE FROM documents WHERE kind = ? AND id = ?').run(request.kind, request.id),
        );
        return { type: 'deleted', count: Number(changes), removed: changes > 0 };
      }
      case 'deleteEvents': {
        const count = this.#connection.transaction(() => this.#deleteEvents(request.cutoff, request.limit));
        return { type: 'deleted', count, removed: count > 0 };
      }
      case 'close':
        this.#rollback();
        this.#connection.close();
        return { type: 'done' };
    }
  }

  #events(chunk: EventChunk): WriterResult | undefined {
    for (const [index, name, type] of chunk.newFields) this.#fieldNames.set(index, { name, type });
    if (chunk.first || this.#batch?.id !== chunk.batch) {
      this.#rollback();
      this.#batch = {
        id: chunk.batch,
        stored: [],
        counts: [],
        failure: chunk.first ? undefined : new Error(`events of batch ${chunk.batch} arrived without the batch's first chunk`),
      };
      try {
        if (chunk.first) this.#connection.db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        this.#batch.failure = error;
      }
    }
    const batch = this.#batch;
    if (batch.failure === undefined) {
      try {
        this.#insert(chunk, batch);
      } catch (error) {
        batch.failure = error;
        this.#rollback();
      }
    }
    if (!chunk.last) return undefined;
    this.#batch = undefined;
    if (batch.failure !== undefined) throw batch.failure;
    try {
      const fields = this.#countFields(batch.counts);
      this.#connection.db.exec('COMMIT');
      return { type: 'events', stored: Uint8Array.from(batch.stored), fields };
    } catch (error) {
      this.#rollback();
      throw error;
    }
  }

  #insert(chunk: EventChunk, batch: OpenBatch): void {
    const insertEvent = this.#connection.statement(INSERT_EVENT);
    const insertText = this.#connection.statement(INSERT_TEXT);
    const putDocument = this.#connection.statement(PUT_DOCUMENT);
    for (const [id, letter] of chunk.deadLetters) putDocument.run(DEAD_LETTER_KIND, id, letter);
    if (chunk.mixed.length > 0) recordMixedValueFields(this.#connection.db, chunk.mixed);
    const width = TEXT_FIELDS.length;
    const columns = VALUE_FIELDS.length;
    let fieldAt = 0;
    for (let i = 0; i < chunk.ids.length; i++) {
      const values = chunk.values.slice(i * columns, (i + 1) * columns);
      const change = insertEvent.run(chunk.ids[i] as string, chunk.ts[i] as number, chunk.docs[i] as string, ...values);
      const stored = change.changes > 0;
      const fieldCount = chunk.fieldCounts[i] as number;
      batch.stored.push(stored ? 1 : 0);
      if (stored) {
        const from = i * width;
        let hasText = false;
        for (let t = from; t < from + width; t++) hasText ||= chunk.texts[t] !== null;
        if (hasText) insertText.run(change.lastInsertRowid, ...indexTexts(chunk.texts.slice(from, from + width)));
        for (let f = fieldAt; f < fieldAt + fieldCount; f++) {
          const field = chunk.fields[f] as number;
          batch.counts[field] = (batch.counts[field] ?? 0) + 1;
        }
      }
      fieldAt += fieldCount;
    }
  }

  /** Adds the batch's counts to the `fields` table; answers the indices it counted. */
  #countFields(counts: number[]): number[] {
    const statement = this.#connection.statement(COUNT_FIELD);
    const counted: number[] = [];
    counts.forEach((count, index) => {
      const field = this.#fieldNames.get(index);
      if (!field) throw new Error(`field index ${index} was never announced`);
      statement.run(field.name, field.type, count);
      counted.push(index);
    });
    return counted;
  }

  /** Oldest first, so retention can go a chunk at a time; field counts go down with the events. */
  #deleteEvents(cutoff: number, limit: number): number {
    const rows = this.#connection.statement('SELECT seq, doc FROM events WHERE ts < ? ORDER BY ts LIMIT ?').all(cutoff, limit);
    const deleteEvent = this.#connection.statement('DELETE FROM events WHERE seq = ?');
    const deleteText = this.#connection.statement('DELETE FROM events_fts WHERE rowid = ?');
    const walker = new FieldWalker();
    const held: number[] = [];
    for (const row of rows) {
      const doc = JSON.parse(String(row['doc'])) as JsonObject;
      walker.collect(doc, held);
      if (textValues(doc)) deleteText.run(row['seq'] ?? null);
      deleteEvent.run(row['seq'] ?? null);
    }
    const counts = new Map<number, number>();
    for (const index of held) counts.set(index, (counts.get(index) ?? 0) - 1);
    const statement = this.#connection.statement(COUNT_FIELD);
    for (const [index, count] of counts) {
      const field = walker.entry(index);
      statement.run(field.name, field.type, count);
    }
    return rows.length;
  }

  #rollback(): void {
    if (this.#connection.open && this.#connection.db.isTransaction) this.#connection.db.exec('ROLLBACK');
  }
}

function failure(error: unknown): WriterReply {
  if (isFaultlineError(error)) return { ok: false, code: error.code, message: error.message };
  return { ok: false, code: 'FL_ERR_STORE_FAILED', message: error instanceof Error ? error.message : String(error) };
}
