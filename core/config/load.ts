/**
 * Loading faultline.yaml: from `--config`, else FAULTLINE_CONFIG, else ./faultline.yaml if it
 * exists, else defaults; then environment variables override single keys. Every error names the
 * file, line and key (or the variable) and is a FaultlineError with exit status 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FaultlineError, describeError } from '../errors.ts';
import { configSchema, type FaultlineConfig } from './schema.ts';
import { formatPath, parseWithSchema } from './schema-errors.ts';
import { parseYamlSource, type YamlSource } from './source.ts';

/** Environment variables and the key each one sets. */
export const environmentOverrides = {
  FAULTLINE_HOST: ['server', 'host'],
  FAULTLINE_PORT: ['server', 'port'],
  FAULTLINE_TOKEN: ['server', 'token'],
  FAULTLINE_STORE: ['store', 'type'],
  FAULTLINE_DATA_DIR: ['store', 'path'],
  FAULTLINE_ELASTICSEARCH_URL: ['store', 'elasticsearch', 'url'],
  FAULTLINE_ELASTICSEARCH_API_KEY: ['store', 'elasticsearch', 'api_key'],
  FAULTLINE_ELASTICSEARCH_USERNAME: ['store', 'elasticsearch', 'username'],
  FAULTLINE_ELASTICSEARCH_PASSWORD: ['store', 'elasticsearch', 'password'],
  FAULTLINE_ELASTICSEARCH_CA_FILE: ['store', 'elasticsearch', 'ca_file'],
  FAULTLINE_ELASTICSEARCH_INDEX_PREFIX: ['store', 'elasticsearch', 'index_prefix'],
  FAULTLINE_LOG_LEVEL: ['log', 'level'],
} as const satisfies Record<string, readonly string[]>;

const integerKeys = new Set(['server.port']);

export interface LoadedConfig {
  config: FaultlineConfig;
  /** The file it came from, or null for defaults plus environment. */
  file: string | null;
}

export interface LoadOptions {
  /** `--config FILE`. */
  file?: string | undefined;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Keys set on the command line (`--port`), applied last. */
  overrides?: { path: readonly string[]; value: unknown; flag: string }[];
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = chooseFile(options.file, env, cwd);
  let source: YamlSource | undefined;
  let data: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new FaultlineError('FL_ERR_CONFIG_UNREADABLE', `${file}: cannot read the configuration file: ${describeError(error)}`, { file });
    }
    source = parseYamlSource(file, text);
    const parsed: unknown = source.document.toJS();
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new FaultlineError('FL_ERR_CONFIG_INVALID', `${file}:1:1: (top level): expected a mapping of sections (server, store, inputs, ...)`, { file });
    }
    data = (parsed as Record<string, unknown> | null) ?? {};
  }

  const blame = new Map<string, string>();
  for (const [variable, path] of Object.entries(environmentOverrides)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const key = path.join('.');
    setPath(data, path, integerKeys.has(key) && /^\d+$/.test(value) ? Number(value) : value);
    blame.set(key, variable);
  }
  // A URL alone says which store is meant, unless the type was chosen explicitly.
  if (env['FAULTLINE_ELASTICSEARCH_URL'] && !env['FAULTLINE_STORE'] && getPath(data, ['store', 'type']) === undefined) {
    setPath(data, ['store', 'type'], 'elasticsearch');
    blame.set('store.type', 'FAULTLINE_ELASTICSEARCH_URL');
  }
  for (const override of options.overrides ?? []) {
    setPath(data, override.path, override.value);
    blame.set(formatPath(override.path), override.flag);
  }
  const config = parseWithSchema(configSchema, data, source, { overrides: blame, file: file ?? undefined });
  return { config, file };
}

function chooseFile(explicit: string | undefined, env: Record<string, string | undefined>, cwd: string): string | null {
  const named = explicit ?? env['FAULTLINE_CONFIG'];
  if (named) {
    const path = resolve(cwd, named);
    if (!existsSync(path)) {
      throw new FaultlineError('FL_ERR_CONFIG_UNREADABLE', `${named}: no such configuration file`, { file: named });
    }
    return path;
  }
  const local = resolve(cwd, 'faultline.yaml');
  return existsSync(local) ? local : null;
}

function getPath(data: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function setPath(data: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = data;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) current = next as Record<string, unknown>;
    else current = current[key] = {};
  }
  current[path[path.length - 1] as string] = value;
}
