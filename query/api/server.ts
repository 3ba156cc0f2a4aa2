/**
 * `faultline serve`: opens the store, binds the API to the configured address, and shuts down in
 * order on SIGTERM/SIGINT. Beyond loopback it insists on a bearer token (DESIGN.md section 6).
 */
import { serve, type ServerType } from '@hono/node-server';
import { isIP } from 'node:net';
import { FaultlineError } from '../../core/errors.ts';
import type { FaultlineConfig } from '../../core/config/schema.ts';
import type { Logger } from '../../core/log.ts';
import type { Store } from '../../store/contract.ts';
import { openStore } from '../../store/open.ts';
import { LiveFeed, observeWrites } from '../tail/feed.ts';
import { createApp } from './app.ts';

export interface RunningServer {
  url: string;
  store: Store;
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
  const opened = await openStore(config.store, { logger });
  // Everything this process writes goes through the observed store, so /api/tail sees it.
  const feed = new LiveFeed();
  const store = observeWrites(opened, feed);
  const app = createApp({ store, logger, token: config.server.token, version, feed });
  const server = await listen(app.fetch, config.server.host, config.server.port).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    url: `http://${host}:${port}`,
    store,
    close: async () => {
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
