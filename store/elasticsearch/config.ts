/**
 * Options of the Elasticsearch store as users write them under `store.elasticsearch` in
 * faultline.yaml, and the client options they turn into.
 */
import { readFileSync } from 'node:fs';
import type { ClientOptions } from '@elastic/elasticsearch';
import { z } from 'zod';
import { describeError, FaultlineError } from '../../core/errors.ts';

const httpUrl = z.string().refine(
  (text) => {
    try {
      const protocol = new URL(text).protocol;
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'an http:// or https:// URL, such as http://127.0.0.1:9200' },
);

/**
 * Index names must be lowercase and may not start with `-`, `_` or `+`; the prefix leaves room for
 * `-events-YYYY.MM.DD` within Elasticsearch's 255-byte limit.
 */
export const INDEX_PREFIX_PATTERN = /^[a-z0-9][a-z0-9._-]{0,199}$/;

export const elasticsearchConfigSchema = z
  .strictObject({
    /** One node or several; `http://user:password@host:9200` carries basic-auth credentials. */
    url: z.union([httpUrl, z.array(httpUrl).min(1, 'at least one URL')]),
    /** The base64 `encoded` form of an API key, as Elasticsearch's create-API-key answer gives it. */
    api_key: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** A PEM file with the CA that signed the cluster's HTTP certificate. */
    ca_file: z.string().min(1).optional(),
    tls_reject_unauthorized: z.boolean().default(true),
    index_prefix: z
      .string()
      .regex(INDEX_PREFIX_PATTERN, 'lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit (at most 200)')
      .default('faultline'),
    /** Whole daily indices older than this are deleted (checked hourly); unset keeps everything. */
    retention_days: z.int().positive().optional(),
    shards: z.int().min(1).max(1024).default(1),
    /** 0 suits a single node; set 1 or more on a cluster. */
    replicas: z.int().min(0).max(16).default(0),
    request_timeout_ms: z.int().min(100).default(30_000),
    /** Retries of a failed request (network errors, 429, 5xx), with exponential backoff. */
    max_retries: z.int().min(0).max(20).default(5),
    /** Bulk requests are cut at this many events or bytes, whichever comes first. */
    bulk_max_events: z.int().min(1).default(10_000),
    bulk_max_bytes: z.int().min(1024).default(8 * 1024 * 1024),
    /** Bulk requests in flight at once for one write call. */
    bulk_concurrency: z.int().min(1).max(16).default(2),
  })
  .refine((config) => (config.username === undefined) === (config.password === undefined), {
    message: 'username and password go together: set both or neither',
    path: ['password'],
  })
  .refine((config) => config.api_key === undefined || config.username === undefined, {
    message: 'set either api_key or username/password, not both',
    path: ['api_key'],
  });

export type ElasticsearchConfig = z.infer<typeof elasticsearchConfigSchema>;
/** The options as written, before defaults: what callers may pass to openElasticsearchStore. */
export type ElasticsearchConfigInput = z.input<typeof elasticsearchConfigSchema>;

/** Validates options (applying defaults); a problem is a FaultlineError naming the key. */
export function parseElasticsearchConfig(input: ElasticsearchConfigInput): ElasticsearchConfig {
  const result = elasticsearchConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `store.elasticsearch.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new FaultlineError('FL_ERR_CONFIG_INVALID', problems.join('; '), { key: 'store.elasticsearch' });
}

/** The configured URLs without credentials, fit for logs and health details. */
export function displayUrls(config: ElasticsearchConfig): string[] {
  return urlList(config).map((text) => redactUrl(text));
}

/** A URL with its password (and any query string) hidden. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    url.search = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Client options: credentials come from api_key, else username/password, else the URL's
 * `user:password@`. They are taken out of the URLs so that exactly one kind of auth is sent and
 * no URL that reaches a log or an error holds a password.
 */
export function clientOptions(config: ElasticsearchConfig): ClientOptions {
  const nodes: string[] = [];
  let urlAuth: { username: string; password: string } | undefined;
  for (const text of urlList(config)) {
    const url = new URL(text);
    if (url.username !== '' && urlAuth === undefined) {
      urlAuth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    }
    url.username = '';
    url.password = '';
    nodes.push(url.toString());
  }
  const auth: ClientOptions['auth'] =
    config.api_key !== undefined
      ? { apiKey: config.api_key }
      : config.username !== undefined && config.password !== undefined
        ? { username: config.username, password: config.password }
        : urlAuth;
  return {
    nodes,
    ...(auth ? { auth } : {}),
    tls: { rejectUnauthorized: config.tls_reject_unauthorized, ...(config.ca_file ? { ca: readCa(config.ca_file) } : {}) },
    requestTimeout: config.request_timeout_ms,
    maxRetries: config.max_retries,
    compression: false,
    sniffOnStart: false,
    redaction: { type: 'remove' },
  };
}

function urlList(config: ElasticsearchConfig): string[] {
  return Array.isArray(config.url) ? config.url : [config.url];
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new FaultlineError('FL_ERR_CONFIG_INVALID', `store.elasticsearch.ca_file: cannot read ${file}: ${describeError(error)}`, {
      key: 'store.elasticsearch.ca_file',
    });
  }
}
