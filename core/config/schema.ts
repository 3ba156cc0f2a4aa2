/**
 * The schema of faultline.yaml (docs/configuration.md documents every key). Types derive from it;
 * unknown keys are refused everywhere. Components that grow their own options keep their schema
 * beside their code and it is composed here.
 */
import { z } from 'zod';
import { ingestConfigSchema, ingestInputConfigSchema } from '../../ingest/config.ts';
import { elasticsearchConfigSchema } from '../../store/elasticsearch/config.ts';
import { DURATION_PATTERN } from '../duration.ts';

const duration = z.string().regex(DURATION_PATTERN, 'a duration such as 500ms, 30s, 5m, 2h, 1d');
const port = z.int().min(0).max(65535);

export const serverConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(8080),
  /** Bearer token the API requires; needed when host is not a loopback address. */
  token: z.string().min(16, 'at least 16 characters').optional(),
  /** Serve beyond loopback without a token: only behind a proxy that authenticates. */
  allow_unauthenticated: z.boolean().default(false),
});

export const storeConfigSchema = z
  .strictObject({
    type: z.enum(['embedded', 'elasticsearch']).default('embedded'),
    /** Data directory: the embedded database, spool, checkpoints. */
    path: z.string().min(1).default('./data'),
    elasticsearch: elasticsearchConfigSchema.optional(),
  })
  .refine((store) => store.type !== 'elasticsearch' || store.elasticsearch !== undefined, {
    message: "store.type is 'elasticsearch' but store.elasticsearch.url is not set (or set FAULTLINE_ELASTICSEARCH_URL)",
    path: ['type'],
  });

export const configSchema = z.strictObject({
  server: serverConfigSchema.default(serverConfigSchema.parse({})),
  store: storeConfigSchema.default(storeConfigSchema.parse({})),
  inputs: z.array(ingestInputConfigSchema).default([]),
  ingest: ingestConfigSchema.default(ingestConfigSchema.parse({})),
  pipelines: z.strictObject({ dir: z.string().min(1).default('./pipelines') }).default({ dir: './pipelines' }),
  rules: z.strictObject({ dir: z.string().min(1).default('./rules') }).default({ dir: './rules' }),
  correlation: z
    .strictObject({
      entities: z.array(z.string().min(1)).min(1).default(['host.name', 'service.name']),
      window: duration.default('15m'),
    })
    .default({ entities: ['host.name', 'service.name'], window: '15m' }),
  log: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).default({ level: 'info' }),
});

export type FaultlineConfig = z.infer<typeof configSchema>;
export type StoreConfig = FaultlineConfig['store'];
export type ServerConfig = FaultlineConfig['server'];
export type InputConfig = FaultlineConfig['inputs'][number];
