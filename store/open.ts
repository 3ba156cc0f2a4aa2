/**
 * Opens the configured store: a registry of backends, one entry per implementation. Each backend
 * is loaded when opened: the Elasticsearch client and its dependencies weigh about 10 MB of heap
 * that a process on the embedded store has no use for.
 */
import { join } from 'node:path';
import { FaultlineError } from '../core/errors.ts';
import type { StoreConfig } from '../core/config/schema.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Store, StoreBackendName } from './contract.ts';

export interface StoreDependencies {
  logger?: Logger;
}

/** The embedded database's file inside the data directory. */
export const EMBEDDED_FILE = 'faultline.db';

export const storeBackends = {
  embedded: async (config, dependencies) => (await import('./embedded/index.ts')).openEmbeddedStore({ file: join(config.path, EMBEDDED_FILE), logger: dependencies.logger ?? silentLogger }),
  elasticsearch: async (config, dependencies) => {
    if (!config.elasticsearch) {
      throw new FaultlineError('FL_ERR_CONFIG_INVALID', 'store.elasticsearch.url is required for the elasticsearch store', { key: 'store.elasticsearch.url' });
    }
    const { openElasticsearchStore } = await import('./elasticsearch/index.ts');
    return openElasticsearchStore(config.elasticsearch, { logger: dependencies.logger ?? silentLogger });
  },
} satisfies Record<StoreBackendName, (config: StoreConfig, dependencies: StoreDependencies) => Promise<Store>>;

export function openStore(config: StoreConfig, dependencies: StoreDependencies = {}): Promise<Store> {
  return storeBackends[config.type](config, dependencies);
}
