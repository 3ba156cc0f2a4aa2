/** DocumentStore on the `documents` table: writes through the writer, reads on the store's connection. */
import type { DocumentStore } from '../contract.ts';
import type { JsonObject } from '../../core/event/types.ts';
import { guarded, type Connection } from './connection.ts';
import type { EventWriter } from './writer.ts';

const DEFAULT_LIST_LIMIT = 1000;

export function embeddedDocuments(connection: Connection, writer: EventWriter): DocumentStore {
  return {
    async put(kind, id, doc) {
      await writer.send({ type: 'putDocument', kind, id, doc: JSON.stringify(doc) });
    },
    async get(kind, id) {
      return guarded('documents.get', () => {
        const row = connection.statement('SELECT doc FROM documents WHERE kind = ? AND id = ?').get(kind, id);
        return row ? (JSON.parse(String(row['doc'])) as JsonObject) : undefined;
      });
    },
    async list(kind, options = {}) {
      const limit = Math.max(0, Math.trunc(options.limit ?? DEFAULT_LIST_LIMIT));
      return guarded('documents.list', () =>
        (options.afterId === undefined
          ? connection.statement('SELECT id, doc FROM documents WHERE kind = ? ORDER BY id LIMIT ?').all(kind, limit)
          : connection.statement('SELECT id, doc FROM documents WHERE kind = ? AND id > ? ORDER BY id LIMIT ?').all(kind, options.afterId, limit)
        ).map((row) => ({ id: String(row['id']), doc: JSON.parse(String(row['doc'])) as JsonObject })),
      );
    },
    async delete(kind, id) {
      const result = await writer.send({ type: 'deleteDocument', kind, id });
      return result?.type === 'deleted' && result.removed;
    },
  };
}
