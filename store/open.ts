/** Opens the configured store: a registry of backends, one entry per implementation. */
import { join } from 'node:path';
import { FaultlineError } from '../core/errors.ts';
import type { StoreConfig } from '../core/config/schema.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Store, StoreBackendName } from './contract.ts';
import { openEmbeddedStore } from './embedded/index.ts';
import { openElasticsearchStore } from './elasticsearch/index.ts';

export interface StoreDependencies {
  logger?: Logger;
}

/** The embedded database's file inside the data directory. */
export const EMBEDDED_FILE = 'faultline.db';

export const storeBackends = {
  embedded: async (config, dependencies) => openEmbeddedStore({ file: join(config.path, EMBEDDED_FILE), logger: dependencies.logger ?? silentLogger }),
  elasticsearch: async (config, dependencies) => {
    if (!config.elasticsearch) {
      throw new FaultlineError('FL_ERR_CONFIG_INVALID', 'store.elasticsearch.url is required for the elasticsearch store', { key: 'store.elasticsearch.url' });
    }
    return openElasticsearchStore(config.elasticsearch, { logger: dependencies.logger ?? silentLogger });
  },
} satisfies Record<StoreBackendName, (config: StoreConfig, dependencies: StoreDependencies) => Promise<Store>>;

export function openStore(config: StoreConfig, dependencies: StoreDependencies = {}): Promise<Store> {
  return storeBackends[config.type](config, dependencies);
}
