/**
 * Benchmark inputs, made once and cached in .cache/bench/pipelines/: RFC 3164 syslog (the loghub
 * Linux and OpenSSH samples, repeated), nginx access lines in the combined format, and NDJSON app
 * logs from pino, ECS, logrus and zap. The generated ones vary like real traffic: thousands of
 * client addresses (more than the GeoIP cache holds), dozens of user agents, four JSON shapes.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CACHE = fileURLToPath(new URL('../../.cache/bench/pipelines/', import.meta.url));
const LOGHUB = fileURLToPath(new URL('../../../shared/data/loghub/', import.meta.url));

export interface Inputs {
  syslog: string;
  nginx: string;
  ndjson: string;
}

/** A small deterministic generator, so that every run reads the same files. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function write(file: string, lines: number, line: (index: number) => string): void {
  if (existsSync(file)) return;
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  let chunk = '';
  for (let index = 0; index < lines; index++) {
    chunk += `${line(index)}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  renameSync(partial, file);
}

const BROWSERS = [
  (v: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${110 + v}.0.0.0 Safari/537.36`,
  (v: number) => `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${15 + (v % 3)}.${v % 6} Safari/605.1.15`,
  (v: number) => `Mozilla/5.0 (X11; Linux x86_64; rv:${100 + v}.0) Gecko/20100101 Firefox/${100 + v}.0`,
  (v: number) => `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${v % 6} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${v % 6} Mobile/15E148 Safari/604.1`,
  (v: number) => `Mozilla/5.0 (Linux; Android 14; Pixel ${6 + (v % 3)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${110 + v}.0.0.0 Mobile Safari/537.36`,
  (v: number) => `curl/8.${v % 10}.0`,
];
const PATHS = ['/', '/index.html', '/api/items', '/api/orders', '/static/app.js', '/static/app.css', '/login', '/search', '/images/logo.png', '/healthz'];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 301, 404, 500, 502];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];

/** The RFC 3164 lines of the loghub Linux and OpenSSH samples, repeated to `lines` lines, as a file. */
export function syslogInput(lines: number): string {
  mkdirSync(CACHE, { recursive: true });
  const sample = ['Linux_2k.log', 'OpenSSH_2k.log'].flatMap((file) =>
    readFileSync(`${LOGHUB}${file}`, 'utf8')
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .filter((line) => line !== ''),
  );
  const file = `${CACHE}syslog-${lines}.log`;
  write(file, lines, (index) => sample[index % sample.length] as string);
  return file;
}

export function prepareInputs(lines: number): Inputs {
  const inputs: Inputs = { syslog: syslogInput(lines), nginx: `${CACHE}nginx-${lines}.log`, ndjson: `${CACHE}app-${lines}.ndjson` };

  const pick = random(42);
  const clients = Array.from({ length: 20_000 }, () => `${1 + Math.floor(pick() * 222)}.${Math.floor(pick() * 256)}.${Math.floor(pick() * 256)}.${1 + Math.floor(pick() * 254)}`);
  const agents = Array.from({ length: 60 }, (_, index) => (BROWSERS[index % BROWSERS.length] as (v: number) => string)(Math.floor(index / BROWSERS.length)));
  const start = Date.UTC(2026, 9, 10, 0, 0, 0);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  write(inputs.nginx, lines, (index) => {
    const at = new Date(start + index * 7);
    const time = `${String(at.getUTCDate()).padStart(2, '0')}/${months[at.getUTCMonth()]}/${at.getUTCFullYear()}:${at.toISOString().slice(11, 19)} +0000`;
    const client = clients[Math.floor(pick() * pick() * clients.length)] as string;
    const path = `${PATHS[Math.floor(pick() * PATHS.length)]}${pick() < 0.3 ? `?page=${Math.floor(pick() * 50)}` : ''}`;
    const agent = agents[Math.floor(pick() * agents.length)] as string;
    const status = STATUSES[Math.floor(pick() * STATUSES.length)] as number;
    return `${client} - - [${time}] "${METHODS[Math.floor(pick() * METHODS.length)]} ${path} HTTP/1.1" ${status} ${Math.floor(pick() * 50_000)} "https://www.example.com/" "${agent}"`;
  });

  write(inputs.ndjson, lines, (index) => {
    const at = start + index * 3;
    const iso = new Date(at).toISOString();
    const kind = index % 5;
    const request = `request ${index % 997} handled`;
    if (kind === 0 || kind === 1) return JSON.stringify({ level: 30, time: at, pid: 4242, hostname: 'web-1', name: 'api', msg: request, req: { method: 'GET', url: `/api/items/${index % 100}` }, responseTime: index % 250 });
    if (kind === 2) return JSON.stringify({ '@timestamp': iso, 'log.level': index % 50 === 0 ? 'ERROR' : 'INFO', message: request, 'ecs.version': '1.6.0', 'service.name': 'orders', 'trace.id': `t${index}` });
    if (kind === 3) return JSON.stringify({ level: index % 40 === 0 ? 'warning' : 'info', msg: request, time: iso, user_id: index % 1000, latency_ms: index % 300 });
    return JSON.stringify({ level: 'info', ts: at / 1000, logger: 'db', caller: 'db/pool.go:42', msg: request, rows: index % 30 });
  });
  return inputs;
}
