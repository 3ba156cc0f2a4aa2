/**
 * `faultline serve`, assembled: the store, the pipelines, ingest (configured inputs and HTTP), and
 * the API bound to the configured address. Shutdown runs in order: stop the inputs, deliver or
 * spool what is in memory, write checkpoints, close the server and the store. Beyond loopback the
 * server insists on a bearer token (DESIGN.md section 6).
 */
import { serve, type ServerType } from '@hono/node-server';
import { isIP } from 'node:net';
import type { FaultlineConfig } from '../core/config/schema.ts';
import { FaultlineError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { startIngest } from '../ingest/runtime.ts';
import { loadConfiguredPipelines, type PipelineSet } from '../pipelines/index.ts';
import { createApp } from '../query/api/app.ts';
import { LiveFeed, observeWrites } from '../query/tail/feed.ts';
import type { Store } from '../store/contract.ts';
import { openStore } from '../store/open.ts';
import { pipelineParseResolver } from './parse.ts';

export interface RunningServer {
  url: string;
  store: Store;
  pipelines: PipelineSet;
  close(): Promise<void>;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export function checkExposure(config: FaultlineConfig['server']): void {
  if (isLoopback(config.host) || config.token || config.allow_unauthenticated) return;
  throw new FaultlineError(
    'FL_ERR_SERVER_START',
    `refusing to listen on ${config.host} without a bearer token: set server.token (or FAULTLINE_TOKEN), or server.allow_unauthenticated: true behind an authenticating proxy`,
    { key: 'server.token' },
  );
}

export async function startServer(config: FaultlineConfig, logger: Logger, version: string): Promise<RunningServer> {
  checkExposure(config.server);
  const pipelines = loadConfiguredPipelines(config.pipelines.dir);
  const opened = await openStore(config.store, { logger });
  // Everything this process writes goes through the observed store, so /api/tail sees it.
  const feed = new LiveFeed();
  const store = observeWrites(opened, feed);
  let ingest;
  try {
    ingest = await startIngest({
      inputs: config.inputs,
      store,
      dataDir: config.store.path,
      resolveParse: pipelineParseResolver(pipelines),
      config: config.ingest,
      logger,
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const app = createApp({ store, logger, token: config.server.token, version, feed, ingest, pipelines });
  let server: ServerType;
  try {
    server = await listen(app.fetch, config.server.host, config.server.port);
  } catch (error) {
    await ingest.stop();
    await store.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    url: `http://${host}:${port}`,
    store,
    pipelines,
    close: async () => {
      await ingest.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? `port ${port} on ${hostname} is already in use (set server.port or --port)` : error.message;
      reject(new FaultlineError('FL_ERR_SERVER_START', `cannot listen on ${hostname}:${port}: ${reason}`, { host: hostname, port }));
    });
  });
}
