/**
 * The embedded store: the Store contract on one SQLite file through node:sqlite, WAL mode, FTS5
 * for text (schema in schema.ts). The default backend, so a fresh install needs nothing else.
 *
 * @example
 *   const store = await openEmbeddedStore({ file: './data/faultline.db' });
 *   await store.write(events);
 *   const page = await store.search({ query: q.term('host.name', 'web-1'), range, size: 50 });
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { FaultlineError } from '../../core/errors.ts';
import type { FieldType } from '../../core/event/fields.ts';
import type { FaultlineEvent } from '../../core/event/types.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import type { FieldInfo, Store } from '../contract.ts';
import { aggregate, topValues } from './aggregations.ts';
import { Connection, guarded } from './connection.ts';
import { embeddedDocuments } from './documents.ts';
import { FieldTypes } from './fields.ts';
import { registerFunctions } from './functions.ts';
import { BUSY_TIMEOUT_MS, setUpDatabase } from './schema.ts';
import { histogram, searchEvents } from './search.ts';
import { inlineChannel, workerChannel } from './write-channel.ts';
import { mixedValueFields } from './value-columns.ts';
import { EventWriter } from './writer.ts';

/** Opens (creating if needed, with its directory) the store in `file`; `:memory:` for a throwaway store. */
export async function openEmbeddedStore(options: { file: string; logger?: Logger }): Promise<Store> {
  const logger = options.logger ?? silentLogger;
  const inMemory = options.file === ':memory:';
  const file = inMemory ? options.file : resolve(options.file);
  let db: DatabaseSync;
  try {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', `cannot open the embedded store at ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error });
  }
  const connection = new Connection(db);
  const fields = new FieldTypes();
  guarded('open', () => {
    try {
      setUpDatabase(db, logger, inMemory ? 'writer' : 'reader');
      registerFunctions(db);
      for (const row of connection.statement('SELECT name, type FROM fields').all()) {
        fields.remember(String(row['name']), String(row['type']) as FieldType);
      }
      for (const name of mixedValueFields(db)) fields.markMixed(name);
    } catch (error) {
      db.close();
      throw error;
    }
  });
  let writer: EventWriter;
  try {
    // An in-memory database exists only on this connection, so its writes stay in this thread.
    writer = new EventWriter(inMemory ? inlineChannel(connection) : await workerChannel(file), fields);
  } catch (error) {
    connection.close();
    throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', `cannot start the embedded store's writer for ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error });
  }
  logger.info('embedded store opened', { file });

  const store: Store = {
    backend: 'embedded',
    write: (events) => writer.write(events),
    async refresh() {},
    async search(request) {
      return guarded('search', () => connection.read(() => searchEvents(connection, fields, request)));
    },
    async searchText(request) {
      return guarded('search', () => connection.read(() => searchEvents(connection, fields, request, String)));
    },
    async histogram(request) {
      return guarded('histogram', () => histogram(connection, fields, request));
    },
    async fields() {
      return guarded('fields', () =>
        connection
          .statement('SELECT name, type FROM fields WHERE events > 0')
          .all()
          .map((row): FieldInfo => ({ name: String(row['name']), type: String(row['type']) as FieldType }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      );
    },
    async topValues(request) {
      return guarded('topValues', () => topValues(connection, fields, request));
    },
    async getEvent(id) {
      return guarded('getEvent', () => {
        const row = connection.statement('SELECT doc FROM events WHERE id = ?').get(id);
        return row ? (JSON.parse(String(row['doc'])) as FaultlineEvent) : undefined;
      });
    },
    async aggregate(request) {
      return guarded('aggregate', () => aggregate(connection, fields, request));
    },
    async deleteBefore(cutoff) {
      if (!Number.isFinite(cutoff)) throw new FaultlineError('FL_ERR_QUERY_INVALID', 'the cutoff must be finite epoch milliseconds', { cutoff });
      const removed = await writer.deleteBefore(cutoff);
      logger.info('embedded store: old events deleted', { before: new Date(cutoff).toISOString(), events: removed });
      return { removed: [`${removed} events`] };
    },
    documents: embeddedDocuments(connection, writer),
    async health() {
      try {
        connection.statement('SELECT 1').get();
        return { backend: 'embedded', status: 'ok', detail: file };
      } catch (error) {
        return { backend: 'embedded', status: 'unavailable', detail: `${file}: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    async close() {
      if (!connection.open) return;
      await writer.close();
      connection.close();
      logger.info('embedded store closed', { file });
    },
  };
  return store;
}
