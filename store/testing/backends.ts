/**
 * The stores under test: each harness opens fresh, isolated instances (a temp file, or a unique
 * Elasticsearch index prefix) and removes them afterwards. Elasticsearch comes from
 * FAULTLINE_TEST_ELASTICSEARCH_URL; without it, CI fails and a local run skips loudly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConfigSchema } from '../../core/config/schema.ts';
import { silentLogger } from '../../core/log.ts';
import type { Store, StoreBackendName } from '../contract.ts';
import { openEmbeddedStore } from '../embedded/index.ts';
import { elasticsearchTestTarget } from './elasticsearch-target.ts';
import { openStore } from '../open.ts';

export interface StoreHarness {
  name: StoreBackendName;
  /** Why this backend cannot run here, or null. */
  unavailable: string | null;
  /** A new, empty store; `label` keeps instances of one run apart. */
  open(label: string): Promise<Store>;
  /** The same data through a new connection, after `store` was closed. */
  reopen(label: string): Promise<Store>;
  dispose(): Promise<void>;
}

export function embeddedHarness(): StoreHarness {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-contract-'));
  const file = (label: string) => join(dir, `${label}.db`);
  return {
    name: 'embedded',
    unavailable: null,
    open: (label) => openEmbeddedStore({ file: file(label), logger: silentLogger }),
    reopen: (label) => openEmbeddedStore({ file: file(label), logger: silentLogger }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function elasticsearchHarness(): StoreHarness {
  const target = elasticsearchTestTarget();
  const run = `fltest-${process.pid}-${Date.now().toString(36)}`;
  const opened: Store[] = [];
  const open = async (label: string) => {
    if (!target.url) throw new Error(target.reason);
    const config = storeConfigSchema.parse({ type: 'elasticsearch', path: tmpdir(), elasticsearch: { url: target.url, index_prefix: `${run}-${label}` } });
    const store = await openStore(config, { logger: silentLogger });
    opened.push(store);
    return store;
  };
  return {
    name: 'elasticsearch',
    unavailable: target.url ? null : target.reason,
    open,
    reopen: open,
    dispose: async () => {
      if (target.url) await target.deleteIndices(`${run}-*`);
      await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
    },
  };
}
