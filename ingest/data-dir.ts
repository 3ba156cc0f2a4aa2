/**
 * Where ingest keeps its state inside the data directory, and the receiver's instance id: a random
 * id made once per data directory, so syslog event ids from two receivers (or two data
 * directories) never collide, and stay the same across restarts of one.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from './checkpoints/atomic-file.ts';

export interface IngestPaths {
  spool: string;
  checkpoints: string;
  instanceFile: string;
}

export function ingestPaths(dataDir: string): IngestPaths {
  return {
    spool: join(dataDir, 'spool'),
    checkpoints: join(dataDir, 'checkpoints'),
    instanceFile: join(dataDir, 'ingest-instance.json'),
  };
}

/** The instance id of this data directory, created and persisted on first use. */
export async function instanceId(dataDir: string): Promise<string> {
  const file = ingestPaths(dataDir).instanceFile;
  const existing = await readJson(file);
  if (existing !== null && typeof existing === 'object' && !Array.isArray(existing) && typeof existing['instance'] === 'string') {
    return existing['instance'];
  }
  const instance = randomUUID();
  await writeJsonAtomic(file, { instance, created: new Date().toISOString() });
  return instance;
}
