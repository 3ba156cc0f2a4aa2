import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultlineError } from '../errors.ts';
import { loadConfig } from './load.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-config-'));
let counter = 0;

function file(text: string): string {
  const path = join(dir, `config-${++counter}.yaml`);
  writeFileSync(path, text);
  return path;
}

function failure(run: () => unknown): FaultlineError {
  try {
    run();
  } catch (error) {
    if (error instanceof FaultlineError) return error;
    throw error;
  }
  throw new Error('expected a FaultlineError');
}

describe('loadConfig', () => {
  it('gives the documented defaults without a file', () => {
    const { config, file: source } = loadConfig({ env: {}, cwd: dir });
    expect(source).toBeNull();
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, allow_unauthenticated: false });
    expect(config.store).toEqual({ type: 'embedded', path: './data' });
    expect(config.correlation).toEqual({ entities: ['host.name', 'service.name'], window: '15m' });
    expect(config.inputs).toEqual([]);
  });

  it('reads ./faultline.yaml from the working directory', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'faultline-cwd-'));
    writeFileSync(join(cwd, 'faultline.yaml'), 'server:\n  port: 9090\n');
    expect(loadConfig({ env: {}, cwd }).config.server.port).toBe(9090);
  });

  it('names file, line, column, key and the accepted keys for an unknown key', () => {
    const path = file('server:\n  port: 8080\nstore:\n  tpye: embedded\n');
    const error = failure(() => loadConfig({ file: path, env: {} }));
    expect(error.message).toBe(`${path}:4:3: store.tpye: unknown key 'tpye'; accepted: type, path, elasticsearch`);
    expect(error.exitCode).toBe(2);
    expect(error.details).toMatchObject({ file: path, line: 4, column: 3, key: 'store.tpye' });
  });

  it('names the key and the expected type for a wrong type', () => {
    const path = file('server:\n  port: http\n');
    expect(failure(() => loadConfig({ file: path, env: {} })).message).toBe(`${path}:2:9: server.port: expected number, got string "http"`);
  });

  it('lists the accepted values of an enumeration', () => {
    const path = file('store:\n  type: mongodb\n');
    expect(failure(() => loadConfig({ file: path, env: {} })).message).toBe(
      `${path}:2:9: store.type: expected one of "embedded"|"elasticsearch"; accepted: embedded, elasticsearch`,
    );
  });

  it('finds unknown keys inside a list item, with that item type\'s keys', () => {
    const path = file('inputs:\n  - { type: file, paths: [a.log] }\n  - type: syslog\n    protocol: udp\n    port: 5514\n    prot: 1\n');
    expect(failure(() => loadConfig({ file: path, env: {} })).message).toBe(
      `${path}:6:5: inputs[1].prot: unknown key 'prot'; accepted: type, id, protocol, host, port, pipeline, timezone, labels, max_message_bytes, max_connections, idle_timeout, framing, tls`,
    );
  });

  it('says which input types exist', () => {
    const path = file('inputs:\n  - type: kafka\n');
    expect(failure(() => loadConfig({ file: path, env: {} })).message).toBe(`${path}:2:11: inputs[0].type: expected one of: file, syslog`);
  });

  it('refuses YAML that does not parse, with its position', () => {
    const path = file('server:\n  port: [8080\n');
    const error = failure(() => loadConfig({ file: path, env: {} }));
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}:\\d+:\\d+: not valid YAML: `));
    expect(error.exitCode).toBe(2);
  });

  it('refuses a missing file by name', () => {
    expect(failure(() => loadConfig({ file: join(dir, 'nope.yaml'), env: {} })).message).toBe(`${join(dir, 'nope.yaml')}: no such configuration file`);
  });

  it('lets environment variables override keys, and blames the variable for a bad value', () => {
    const path = file('server:\n  port: 8080\n');
    const { config } = loadConfig({ file: path, env: { FAULTLINE_PORT: '9999', FAULTLINE_DATA_DIR: '/var/lib/faultline' } });
    expect(config.server.port).toBe(9999);
    expect(config.store.path).toBe('/var/lib/faultline');
    expect(failure(() => loadConfig({ file: path, env: { FAULTLINE_PORT: 'eighty' } })).message).toBe(
      'environment variable FAULTLINE_PORT: server.port: expected number, got string "eighty"',
    );
  });

  it('selects Elasticsearch when only its URL is given, unless the type is explicit', () => {
    const env = { FAULTLINE_ELASTICSEARCH_URL: 'http://127.0.0.1:9200', FAULTLINE_ELASTICSEARCH_USERNAME: 'elastic', FAULTLINE_ELASTICSEARCH_PASSWORD: 'pw' };
    const { config } = loadConfig({ env, cwd: dir });
    expect(config.store.type).toBe('elasticsearch');
    expect(config.store.elasticsearch).toMatchObject({ url: 'http://127.0.0.1:9200', password: 'pw', index_prefix: 'faultline' });
    const explicit = loadConfig({ file: file('store:\n  type: embedded\n'), env });
    expect(explicit.config.store.type).toBe('embedded');
  });

  it('requires the Elasticsearch settings when the type says elasticsearch', () => {
    const path = file('store:\n  type: elasticsearch\n');
    expect(failure(() => loadConfig({ file: path, env: {} })).message).toBe(
      `${path}:2:9: store.type: store.type is 'elasticsearch' but store.elasticsearch.url is not set (or set FAULTLINE_ELASTICSEARCH_URL)`,
    );
  });
});
