/**
 * The Elasticsearch a benchmark measures against: FAULTLINE_TEST_ELASTICSEARCH_URL if set, else
 * the node scripts/elasticsearch.sh starts (or reuses).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function benchmarkElasticsearchUrl(): string {
  const given = process.env['FAULTLINE_TEST_ELASTICSEARCH_URL'];
  if (given) return given;
  const script = fileURLToPath(new URL('../scripts/elasticsearch.sh', import.meta.url));
  process.stderr.write('starting Elasticsearch with scripts/elasticsearch.sh (reused if already running)...\n');
  const line = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const url = line.split('=').slice(1).join('=');
  if (!url.startsWith('http')) throw new Error(`scripts/elasticsearch.sh start printed no URL: ${line}`);
  return url;
}

/** Basic-auth header and a credential-free base URL from a URL with user:password in it. */
export function splitCredentials(url: string): { base: string; authorization: string | undefined } {
  const parsed = new URL(url);
  const authorization = parsed.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
    : undefined;
  parsed.username = '';
  parsed.password = '';
  return { base: parsed.toString().replace(/\/$/, ''), authorization };
}
