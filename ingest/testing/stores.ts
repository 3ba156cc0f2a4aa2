/**
 * Stores for ingest's unit tests: an in-memory store that keeps the contract's write semantics
 * (idempotent on event.id, per-event outcomes, rejection of events without @timestamp), and a
 * wrapper that makes any store's writes fail on demand, to simulate an outage. End-to-end tests use
 * the real embedded store instead.
 */
import { delegateStore } from '../../store/delegate.ts';
import { FaultlineError } from '../../core/errors.ts';
import { isPlainObject, type JsonObject } from '../../core/event/types.ts';
import { DUPLICATE, STORED, type DocumentStore, type Store, type WriteOutcome } from '../../store/contract.ts';

export interface MemoryStore extends Store {
  readonly events: Map<string, JsonObject>;
  /** Every write call's events, in call order. */
  readonly writes: JsonObject[][];
}

function notInMemory(): never {
  throw new FaultlineError('FL_ERR_INTERNAL', 'not implemented by the in-memory test store');
}

export function memoryStore(): MemoryStore {
  const events = new Map<string, JsonObject>();
  const writes: JsonObject[][] = [];
  const docs = new Map<string, JsonObject>();
  const documents: DocumentStore = {
    async put(kind, id, doc) {
      docs.set(`${kind}\u0000${id}`, structuredClone(doc));
    },
    async get(kind, id) {
      return docs.get(`${kind}\u0000${id}`);
    },
    async list(kind, options = {}) {
      const prefix = `${kind}\u0000`;
      return [...docs.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, doc]) => ({ id: key.slice(prefix.length), doc }))
        .filter((entry) => options.afterId === undefined || entry.id > options.afterId)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, options.limit ?? 1000);
    },
    async delete(kind, id) {
      return docs.delete(`${kind}\u0000${id}`);
    },
  };
  return {
    backend: 'embedded',
    events,
    writes,
    documents,
    async write(batch) {
      const taken = [...batch];
      writes.push(taken);
      return taken.map((event): WriteOutcome => {
        const section = event['event'];
        const id = isPlainObject(section) && typeof section['id'] === 'string' ? section['id'] : '';
        if (id === '' || typeof event['@timestamp'] !== 'string') return { id, status: 'rejected', reason: "field '@timestamp' is required" };
        if (events.has(id)) return DUPLICATE;
        events.set(id, event);
        return STORED;
      });
    },
    async refresh() {},
    search: notInMemory,
    histogram: notInMemory,
    fields: notInMemory,
    topValues: notInMemory,
    async getEvent() {
      return undefined;
    },
    aggregate: notInMemory,
    deleteBefore: notInMemory,
    async health() {
      return { backend: 'embedded', status: 'ok', detail: 'memory' };
    },
    async close() {},
  };
}

export interface OutageStore extends Store {
  /** While true, every write throws FL_ERR_STORE_UNAVAILABLE. */
  down: boolean;
  failedWrites: number;
}

/** Wraps a store so that writes fail while `down` is set; everything else passes through. */
export function outageStore(inner: Store): OutageStore {
  const write: Store['write'] = async (batch) => {
    if (wrapper.down) {
      wrapper.failedWrites++;
      throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', 'simulated outage');
    }
    return inner.write(batch);
  };
  const wrapper: OutageStore = Object.assign(delegateStore(inner, { write }), { down: false, failedWrites: 0 });
  return wrapper;
}
