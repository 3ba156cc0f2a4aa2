import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.ts';
import { q } from '../query.ts';
import { openElasticsearchStore } from './index.ts';

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('an Elasticsearch store while Elasticsearch is unreachable', () => {
  it('opens at once, logs one line per attempt without the password, and fails operations after the request timeout', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const store = openElasticsearchStore(
      { url: `http://elastic:s3cret@127.0.0.1:${port}`, request_timeout_ms: 500, index_prefix: 'unreachable' },
      { logger: createLogger('debug', (line) => lines.push(line)) },
    );
    try {
      // Returned synchronously, before any answer from the network.
      expect(store).not.toBeInstanceOf(Promise);
      expect(lines).toEqual([]);
      const ready = store.ready();
      const started = Date.now();

      const searching = store.search({ query: q.all(), range: { from: 0, to: 1 }, size: 1 });
      await expect(searching).rejects.toMatchObject({
        name: 'FaultlineError',
        code: 'FL_ERR_STORE_UNAVAILABLE',
        message: expect.stringMatching(/^searching: Elasticsearch is unreachable \(.*ECONNREFUSED.*\); gave up after 500 ms$/),
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      await expect(store.write([{ '@timestamp': '2026-03-01T00:00:00Z', event: { id: 'x' } }])).rejects.toMatchObject({ code: 'FL_ERR_STORE_UNAVAILABLE' });

      const health = await store.health();
      expect(health).toEqual({ backend: 'elasticsearch', status: 'unavailable', detail: expect.stringContaining('Elasticsearch is unreachable') });

      // The first retry comes after 1 s.
      await new Promise((resolve) => setTimeout(resolve, 1300));
      const attempts = lines.filter((line) => line.includes('Elasticsearch is unreachable'));
      expect(attempts.length).toBe(2);
      expect(attempts[0]).toMatch(
        new RegExp(`^\\S+ warn  Elasticsearch is unreachable, retrying in 1s url=http://elastic:\\*\\*\\*@127\\.0\\.0\\.1:${port} reason="connect ECONNREFUSED 127\\.0\\.0\\.1:${port}"\\n$`),
      );
      expect(attempts[1]).toContain('retrying in 2s');
      expect(lines.join('')).not.toContain('s3cret');
      expect(lines.join('')).not.toMatch(/\n\s+at /);

      await store.close();
      await expect(ready).rejects.toMatchObject({ code: 'FL_ERR_STORE_UNAVAILABLE' });
      await expect(store.search({ query: q.all(), range: { from: 0, to: 1 }, size: 1 })).rejects.toMatchObject({
        message: 'searching: the store is closed',
      });
    } finally {
      await store.close();
    }
  });
});
