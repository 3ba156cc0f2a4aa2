/**
 * The Elasticsearch store (DESIGN.md section 3): daily indices `<prefix>-events-YYYY.MM.DD` under an
 * index template generated from the field catalogue, bulk writes that are idempotent on event.id,
 * reads compiled to the query DSL, and small documents in `<prefix>-state`.
 *
 *   const store = openElasticsearchStore({ url: 'http://127.0.0.1:9200' }, { logger });
 *   await store.ready(); // optional: operations wait for it on their own
 */
import type { ErrorCode } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import type { Store } from '../contract.ts';
import { BulkWriter } from './bulk.ts';
import { parseElasticsearchConfig, type ElasticsearchConfigInput } from './config.ts';
import { Connection } from './connection.ts';
import { StateDocuments } from './documents.ts';
import { toFaultlineError } from './errors.ts';
import { FieldTypes } from './field-types.ts';
import { DAY_MS, dayOfIndex } from './mapping.ts';
import { Reader } from './read.ts';

export type { ElasticsearchConfig, ElasticsearchConfigInput } from './config.ts';
export { elasticsearchConfigSchema } from './config.ts';

export interface ElasticsearchStore extends Store {
  /** Resolves once the index template and state index are installed; rejects if the store is closed first. */
  ready(): Promise<void>;
}

const RETENTION_CHECK_MS = 3_600_000;
/** Index names per delete request, to keep the URL short. */
const DELETE_BATCH = 50;

/**
 * Opens the store and returns at once; the index template is installed in the background. Invalid
 * options throw FL_ERR_CONFIG_INVALID here; an unreachable Elasticsearch never does.
 */
export function openElasticsearchStore(config: ElasticsearchConfigInput, options: { logger?: Logger } = {}): ElasticsearchStore {
  const connection = new Connection(parseElasticsearchConfig(config), options.logger ?? silentLogger);
  const documents = new StateDocuments(connection);
  const fieldTypes = new FieldTypes(connection);
  const reader = new Reader(connection, fieldTypes);
  const writer = new BulkWriter(connection, documents);
  const { client, names } = connection;

  /** Waits for installation, runs `task`, and turns client errors into FaultlineErrors. */
  const run = async <T>(operation: string, task: () => Promise<T>, badRequest: ErrorCode = 'FL_ERR_QUERY_INVALID'): Promise<T> => {
    await connection.whenReady(operation);
    try {
      return await task();
    } catch (error) {
      throw toFaultlineError(error, operation, badRequest);
    }
  };

  const deleteBefore = (cutoff: number) =>
    run(
      'deleting expired indices',
      async () => {
        const resolved = await client.indices.resolveIndex({ name: names.eventsPattern, expand_wildcards: 'all' });
        const expired = resolved.indices
          .map((index) => index.name)
          .filter((name) => {
            const day = dayOfIndex(names, name);
            return day !== undefined && day + DAY_MS <= cutoff;
          })
          .sort();
        for (let i = 0; i < expired.length; i += DELETE_BATCH) {
          await client.indices.delete({ index: expired.slice(i, i + DELETE_BATCH), ignore_unavailable: true });
        }
        return { removed: expired };
      },
      'FL_ERR_STORE_FAILED',
    );

  const store: ElasticsearchStore = {
    backend: 'elasticsearch',
    write: (events) => writer.write(events),
    refresh: () =>
      run(
        'refreshing',
        async () => {
          await client.indices.refresh({ index: names.eventsPattern, ignore_unavailable: true, allow_no_indices: true });
        },
        'FL_ERR_STORE_FAILED',
      ),
    search: (request) => run('searching', () => reader.search(request)),
    histogram: (request) => run('drawing the histogram', () => reader.histogram(request)),
    fields: () => run('listing fields', () => fieldTypes.list()),
    topValues: (request) => run('counting top values', () => reader.topValues(request)),
    getEvent: (id) => run('getting an event', () => reader.getEvent(id)),
    aggregate: (request) => run('aggregating', () => reader.aggregate(request)),
    deleteBefore,
    documents,
    health: () => connection.health(),
    close: () => connection.close(),
    ready: () => connection.ready(),
  };

  connection.start();
  const retentionDays = connection.config.retention_days;
  if (retentionDays !== undefined) {
    connection.every(RETENTION_CHECK_MS, 'deleting indices past retention', async () => {
      await connection.ready();
      const { removed } = await deleteBefore(Date.now() - retentionDays * DAY_MS);
      if (removed.length > 0) connection.logger.info('deleted indices past retention', { indices: removed.join(','), retention_days: retentionDays });
    });
  }
  return store;
}
