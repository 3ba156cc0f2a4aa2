/**
 * The stores the end-to-end ingest tests run against: the embedded store always, and the real
 * Elasticsearch wherever FAULTLINE_TEST_ELASTICSEARCH_URL is set (in CI it must be: a missing one
 * fails there and is skipped loudly elsewhere, as store/elasticsearch/testing.ts does). A backend
 * gives the `store:` section for a child process, and reads back what that process stored.
 */
import { afterAll, describe } from 'vitest';
import { storeConfigSchema, type StoreConfig } from '../../core/config/schema.ts';
import type { Store } from '../../store/contract.ts';
import { deletePrefix, describeWithElasticsearch, uniquePrefix } from '../../store/elasticsearch/testing.ts';
import { openStore } from '../../store/open.ts';
import { q } from '../../store/query.ts';
import { scan } from '../../store/scan.ts';

export interface IngestBackend {
  readonly name: 'embedded' | 'elasticsearch';
  /**
   * The `store:` section for a process whose data directory (spool, checkpoints) is `dataDir`.
   * Tests of one backend that must not see each other's events name a `part` each: its own
   * Elasticsearch indices (lowercase letters and dashes), its own embedded store in `dataDir`.
   */
  storeConfig(dataDir: string, part?: string): StoreConfig;
  /** Removes what the backend created outside the data directory (Elasticsearch indices). */
  dispose(): Promise<void>;
}

function embedded(): IngestBackend {
  return {
    name: 'embedded',
    storeConfig: (dataDir) => storeConfigSchema.parse({ type: 'embedded', path: dataDir }),
    dispose: async () => {},
  };
}

function elasticsearch(url: string, label: string): IngestBackend {
  const prefix = uniquePrefix(label);
  const prefixes = new Set([prefix]);
  return {
    name: 'elasticsearch',
    storeConfig: (dataDir, part) => {
      const indexPrefix = part === undefined ? prefix : `${prefix}-${part}`;
      prefixes.add(indexPrefix);
      return storeConfigSchema.parse({ type: 'elasticsearch', path: dataDir, elasticsearch: { url, index_prefix: indexPrefix } });
    },
    dispose: async () => {
      for (const used of prefixes) await deletePrefix(url, used);
    },
  };
}

/**
 * Declares the same tests once per backend: `describe(name + ' (embedded store)')`, and for
 * Elasticsearch through describeWithElasticsearch (runs, fails in CI, or skips loudly). Each
 * backend is disposed of after its tests. `label` names the test's Elasticsearch indices
 * (lowercase letters and dashes).
 */
export function describePerBackend(name: string, label: string, body: (backend: IngestBackend) => void): void {
  const run = (backend: IngestBackend) => {
    afterAll(() => backend.dispose());
    body(backend);
  };
  describe(`${name} (embedded store)`, () => run(embedded()));
  describeWithElasticsearch(`${name} (Elasticsearch)`, (url) => run(elasticsearch(url, label)));
}

/** How often each `message` occurs in the store (after a refresh, so Elasticsearch shows every write). */
export async function messageCounts(storeConfig: StoreConfig): Promise<Map<string, number>> {
  const store: Store = await openStore(storeConfig);
  try {
    await store.refresh();
    const seen = new Map<string, number>();
    for await (const event of scan(store, { query: q.all(), range: { from: 0, to: Date.now() + 86_400_000 }, pageSize: 5000 })) {
      const message = String(event.message);
      seen.set(message, (seen.get(message) ?? 0) + 1);
    }
    return seen;
  } finally {
    await store.close();
  }
}

/** The messages stored more than once, each with its count: `[]` when none was. */
export function duplicates(seen: Map<string, number>): string[] {
  return [...seen].filter(([, count]) => count > 1).map(([message, count]) => `${message} (x${count})`);
}
