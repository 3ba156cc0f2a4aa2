import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clientOptions, elasticsearchConfigSchema, parseElasticsearchConfig, redactUrl } from './config.ts';

describe('elasticsearch config', () => {
  it('needs only a URL, and fills in the defaults', () => {
    expect(parseElasticsearchConfig({ url: 'http://127.0.0.1:9200' })).toEqual({
      url: 'http://127.0.0.1:9200',
      tls_reject_unauthorized: true,
      index_prefix: 'faultline',
      shards: 1,
      replicas: 0,
      request_timeout_ms: 30_000,
      max_retries: 5,
      bulk_max_events: 10_000,
      bulk_max_bytes: 8 * 1024 * 1024,
      bulk_concurrency: 2,
    });
  });

  it('takes several URLs', () => {
    expect(parseElasticsearchConfig({ url: ['https://a:9200', 'https://b:9200'] }).url).toEqual(['https://a:9200', 'https://b:9200']);
  });

  it.each([
    [{ url: 'ftp://host' }, 'store.elasticsearch.url: an http:// or https:// URL, such as http://127.0.0.1:9200'],
    [{ url: [] }, 'store.elasticsearch.url: at least one URL'],
    [{ url: 'http://h:9200', index_prefix: 'Faultline' }, 'store.elasticsearch.index_prefix: lowercase letters'],
    [{ url: 'http://h:9200', index_prefix: '-x' }, 'store.elasticsearch.index_prefix: lowercase letters'],
    [{ url: 'http://h:9200', username: 'elastic' }, 'store.elasticsearch.password: username and password go together'],
    [{ url: 'http://h:9200', api_key: 'k', username: 'u', password: 'p' }, 'store.elasticsearch.api_key: set either api_key or username/password, not both'],
    [{ url: 'http://h:9200', retention_days: 0 }, 'store.elasticsearch.retention_days'],
    [{ url: 'http://h:9200', apikey: 'k' }, 'apikey'],
  ])('refuses %j', (input, message) => {
    expect(() => parseElasticsearchConfig(input as never)).toThrow(expect.objectContaining({ code: 'FL_ERR_CONFIG_INVALID', message: expect.stringContaining(message) }));
  });

  it('is a strict schema (unknown keys refused), for composition into faultline.yaml', () => {
    expect(elasticsearchConfigSchema.safeParse({ url: 'http://h:9200', extra: 1 }).success).toBe(false);
  });
});

describe('client options', () => {
  const parse = (input: Parameters<typeof parseElasticsearchConfig>[0]) => clientOptions(parseElasticsearchConfig(input));

  it('moves credentials out of the URL into basic auth, decoded', () => {
    const options = parse({ url: 'http://elastic:p%40ss%3Aword@127.0.0.1:9200' });
    expect(options.nodes).toEqual(['http://127.0.0.1:9200/']);
    expect(options.auth).toEqual({ username: 'elastic', password: 'p@ss:word' });
  });

  it('prefers an API key, then username/password, to credentials in the URL', () => {
    expect(parse({ url: 'http://u:p@h:9200', api_key: 'a2V5' }).auth).toEqual({ apiKey: 'a2V5' });
    expect(parse({ url: 'http://u:p@h:9200', username: 'other', password: 'secret' }).auth).toEqual({ username: 'other', password: 'secret' });
    expect(parse({ url: 'http://h:9200' }).auth).toBeUndefined();
  });

  it('passes TLS settings, timeouts and retries to the client', () => {
    const options = parse({ url: 'https://h:9200', tls_reject_unauthorized: false, request_timeout_ms: 1234, max_retries: 2 });
    expect(options).toMatchObject({ tls: { rejectUnauthorized: false }, requestTimeout: 1234, maxRetries: 2 });
  });

  it('reads the CA file, and names it when it cannot', () => {
    const ca = new URL(import.meta.url).pathname;
    expect(parse({ url: 'https://h:9200', ca_file: ca }).tls).toMatchObject({ ca: expect.stringContaining("describe('client options'") });
    expect(() => parse({ url: 'https://h:9200', ca_file: '/nonexistent/ca.pem' })).toThrow(
      expect.objectContaining({ code: 'FL_ERR_CONFIG_INVALID', message: expect.stringContaining('store.elasticsearch.ca_file: cannot read /nonexistent/ca.pem') }),
    );
  });
});

describe('redactUrl', () => {
  it('hides the password and the query string', () => {
    expect(redactUrl('http://elastic:secret@127.0.0.1:9200/?x=1')).toBe('http://elastic:***@127.0.0.1:9200');
    expect(redactUrl('https://es.example.com')).toBe('https://es.example.com');
  });
});

describe('the README example', () => {
  it('is a valid store.elasticsearch section', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    const parsed = parse(block ?? '') as { store: { elasticsearch: unknown } };
    const config = elasticsearchConfigSchema.parse(parsed.store.elasticsearch);
    expect(config).toMatchObject({ url: 'https://es1.example.com:9200', index_prefix: 'faultline', retention_days: 30, replicas: 1 });
    expect(() => clientOptions({ ...config, ca_file: undefined })).not.toThrow();
  });
});
