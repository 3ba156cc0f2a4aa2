/**
 * The HTTP API (DESIGN.md section 6), served by Hono. Built as an app object so tests call
 * `app.request(...)` without a port; query/api/server.ts binds it to a socket. Routes declare
 * their parameters as zod schemas: the same schemas validate requests and make /api/openapi.json.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bearerAuth } from 'hono/bearer-auth';
import { FaultlineError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { IngestRuntime } from '../../ingest/runtime.ts';
import type { Store } from '../../store/contract.ts';
import { LiveFeed } from '../tail/feed.ts';
import { errorResponse } from './errors.ts';
import { FieldTypes } from './field-types.ts';
import { loadConfiguredPipelines, type PipelineSet } from '../../pipelines/index.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { pipelineRoutes } from './routes/pipelines.ts';
import { searchRoutes } from './routes/search.ts';
import { streamRoutes } from './routes/stream.ts';

export interface AppOptions {
  store: Store;
  logger: Logger;
  /** When set, every route but /api/health requires `Authorization: Bearer <token>`. */
  token?: string | undefined;
  version: string;
  /** Events stored by this process, for /api/tail. */
  feed?: LiveFeed;
  /** Ingest (inputs, HTTP ingest, metrics), when this process runs it. */
  ingest?: IngestRuntime;
  /** Pipelines for /api/pipelines (default: the built-ins). */
  pipelines?: PipelineSet;
}

export function createApp(options: AppOptions): OpenAPIHono {
  const { store, logger } = options;
  const app = new OpenAPIHono({
    defaultHook: (result, context) => {
      if (result.success) return undefined;
      const issue = result.error.issues[0];
      const parameter = issue?.path.join('.') ?? '';
      const message = `${parameter ? `${parameter}: ` : ''}${issue?.message ?? 'invalid request'}`;
      return errorResponse(new FaultlineError('FL_ERR_QUERY_INVALID', message, { parameter }), context, logger);
    },
  });
  const startedAt = Date.now();

  app.onError((error, context) => errorResponse(error, context, logger));
  app.notFound((context) => errorResponse(new FaultlineError('FL_ERR_NOT_FOUND', `no route ${context.req.method} ${context.req.path}`), context, logger));

  app.get('/api/health', async (context) => {
    const health = await store.health();
    return context.json(
      { status: health.status === 'ok' ? 'ok' : 'degraded', version: options.version, uptime_s: Math.round((Date.now() - startedAt) / 1000), store: health },
      health.status === 'ok' ? 200 : 503,
    );
  });

  if (options.token) {
    const token = options.token;
    const failure = (message: string) => ({ message: { error: { code: 'FL_ERR_UNAUTHORIZED', message } } });
    const auth = bearerAuth({
      token,
      noAuthenticationHeader: failure('a bearer token is required (Authorization: Bearer <token>)'),
      invalidToken: failure('the bearer token is wrong'),
      invalidAuthenticationHeader: failure('the Authorization header must be "Bearer <token>"'),
    });
    app.use('/api/*', auth);
    app.use('/metrics', auth);
  }

  const fieldTypes = new FieldTypes(store);
  searchRoutes(app, store, fieldTypes);
  streamRoutes(app, store, fieldTypes, options.feed ?? new LiveFeed(), logger);
  if (options.ingest) ingestRoutes(app, options.ingest);
  pipelineRoutes(app, options.pipelines ?? loadConfiguredPipelines(undefined));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Faultline API', version: options.version, description: 'Search logs, correlate faults into incidents, export timelines.' },
    security: options.token ? [{ bearer: [] }] : [],
  });

  return app;
}
