/**
 * Documents that outlive a restart (incidents, rule state, checkpoints, dead letters) in the
 * `<prefix>-state` index: one Elasticsearch document per (kind, id).
 */
import { createHash } from 'node:crypto';
import { FaultlineError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/event/types.ts';
import type { DocumentStore } from '../contract.ts';
import type { Connection } from './connection.ts';
import { bodyReason, toFaultlineError } from './errors.ts';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;
/** Elasticsearch's limit on `_id`, in bytes. */
const MAX_ID_BYTES = 512;

interface StateSource {
  kind: string;
  id: string;
  updated: string;
  doc: JsonObject;
}

/** `kind:id`, or a hash of it when that would be longer than an `_id` may be. */
export function stateId(kind: string, id: string): string {
  const plain = `${kind}:${id}`;
  if (Buffer.byteLength(plain) <= MAX_ID_BYTES) return plain;
  return `sha256:${createHash('sha256').update(kind).update('\0').update(id).digest('base64url')}`;
}

export class StateDocuments implements DocumentStore {
  private readonly connection: Connection;

  constructor(connection: Connection) {
    this.connection = connection;
  }

  async put(kind: string, id: string, doc: JsonObject): Promise<void> {
    await this.putMany(kind, [{ id, doc }]);
  }

  /** Puts several documents of a kind in one request (dead letters of a bulk write). */
  async putMany(kind: string, entries: readonly { id: string; doc: JsonObject }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.connection.whenReady('storing documents');
    const { client, names } = this.connection;
    const updated = new Date().toISOString();
    try {
      if (entries.length === 1) {
        const [{ id, doc }] = entries as [{ id: string; doc: JsonObject }];
        await client.index({ index: names.state, id: stateId(kind, id), document: { kind, id, updated, doc } satisfies StateSource });
        return;
      }
      const response = await client.bulk({
        index: names.state,
        operations: entries.flatMap(({ id, doc }) => [{ index: { _id: stateId(kind, id) } }, { kind, id, updated, doc } satisfies StateSource]),
      });
      if (response.errors) {
        const failed = response.items.find((item) => item.index?.error);
        throw new FaultlineError('FL_ERR_STORE_FAILED', `storing ${kind} documents failed: ${bodyReason({ error: failed?.index?.error }) ?? 'unknown reason'}`);
      }
    } catch (error) {
      throw toFaultlineError(error, `storing ${kind} documents`);
    }
  }

  async get(kind: string, id: string): Promise<JsonObject | undefined> {
    await this.connection.whenReady('reading a document');
    const { client, names } = this.connection;
    try {
      const response = await client.get<StateSource>({ index: names.state, id: stateId(kind, id) }, { ignore: [404] });
      return response.found ? response._source?.doc : undefined;
    } catch (error) {
      throw toFaultlineError(error, 'reading a document');
    }
  }

  async list(kind: string, options: { limit?: number; afterId?: string } = {}): Promise<{ id: string; doc: JsonObject }[]> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `limit must be an integer from 1 to ${MAX_LIMIT}, got ${limit}`, { limit });
    }
    await this.connection.whenReady('listing documents');
    const { client, names } = this.connection;
    try {
      // Puts do not wait for a refresh (checkpoints are written often); a list, rarer, makes them visible.
      await client.indices.refresh({ index: names.state });
      const response = await client.search<StateSource>({
        index: names.state,
        size: limit,
        query: { term: { kind } },
        sort: [{ id: 'asc' }],
        ...(options.afterId !== undefined ? { search_after: [options.afterId] } : {}),
        track_total_hits: false,
      });
      return response.hits.hits.flatMap((hit) => (hit._source ? [{ id: hit._source.id, doc: hit._source.doc }] : []));
    } catch (error) {
      throw toFaultlineError(error, 'listing documents');
    }
  }

  async delete(kind: string, id: string): Promise<boolean> {
    await this.connection.whenReady('deleting a document');
    const { client, names } = this.connection;
    try {
      const response = await client.delete({ index: names.state, id: stateId(kind, id) }, { ignore: [404] });
      return response.result === 'deleted';
    } catch (error) {
      throw toFaultlineError(error, 'deleting a document');
    }
  }
}
