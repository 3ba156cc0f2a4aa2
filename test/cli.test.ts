import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaultline, startServe } from './faultline-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));

describe('faultline command line', () => {
  it.each([
    [[]],
    [['serve']],
    [['search']],
    [['ingest']],
    [['pipeline']],
    [['pipeline', 'list']],
    [['pipeline', 'test']],
    [['pipeline', 'simulate']],
    [['config']],
    [['config', 'check']],
    [['dlq']],
    [['dlq', 'list']],
  ])('answers --help for %j', async (args) => {
    const result = await runFaultline([...args, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: faultline');
  });

  it('serves /api/health on the embedded store, and stops cleanly on SIGTERM', async () => {
    const server = await startServe(['--data', join(dir, 'data')], { cwd: dir });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${server.url}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', store: { backend: 'embedded', status: 'ok' } });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.each([
    ['an unknown key', 'store:\n  tpye: embedded\n', ":2:3: store.tpye: unknown key 'tpye'; accepted: type, path, elasticsearch"],
    ['a wrong type', 'server:\n  port: http\n', ':2:9: server.port: expected number, got string "http"'],
    ['unparsable YAML', 'server: [\n', ': not valid YAML: '],
  ])('refuses a config with %s: exit status 2 and one line naming file, line and key', async (_name, text, expected) => {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    const result = await runFaultline(['serve', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`faultline: ${file}`);
    expect(result.stderr).toContain(expected);
  });

  it('keeps serving and retrying, without a stack trace, when Elasticsearch is unreachable', async () => {
    const server = await startServe(['--data', join(dir, 'es-data')], {
      env: { FAULTLINE_ELASTICSEARCH_URL: 'http://elastic:secret-password@127.0.0.1:9', FAULTLINE_ELASTICSEARCH_INDEX_PREFIX: 'unreachable' },
    });
    try {
      const response = await fetch(`${server.url}/api/health`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { store: { backend: string; status: string; detail: string } };
      expect(body.store).toMatchObject({ backend: 'elasticsearch', status: 'unavailable' });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const log = server.stderr();
      expect(log).toMatch(/unreachable/i);
      expect(log).not.toMatch(/\n\s+at /);
      expect(log).not.toContain('secret-password');
    } finally {
      await server.stop();
    }
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const result = await runFaultline(['serve', '--host', '0.0.0.0', '--port', '0', '--data', join(dir, 'exposed')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refusing to listen on 0.0.0.0 without a bearer token');
  });
});
