/**
 * A fixed, realistic dataset for the store contract suite: the same events every run (a seeded
 * generator), spanning three days so Elasticsearch spreads them over several daily indices, with
 * the shapes stores find hard: ties on @timestamp, arrays, dynamic fields, structured data, long
 * keywords, text with punctuation and Unicode.
 */
import { contentEventId } from '../../core/event/id.ts';
import type { FaultlineEvent, JsonObject } from '../../core/event/types.ts';

export const DATASET_START = Date.UTC(2026, 2, 1, 0, 0, 0);
export const DATASET_END = DATASET_START + 3 * 24 * 3600 * 1000;

/** mulberry32: a tiny, good-enough seeded generator, so the dataset never changes between runs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hosts = ['web-1', 'web-2', 'web-3', 'db-1', 'db-2', 'cache-1'];
const users = ['alice', 'bob', 'carol', 'root', 'deploy', 'admin', 'guest'];
const paths = ['/', '/login', '/api/orders', '/api/orders/42', '/static/app.js', '/health', '/api/users?id=7'];
const levels = ['debug', 'info', 'info', 'info', 'notice', 'warning', 'error', 'critical'];
const services = ['checkout', 'auth', 'inventory', 'postgres'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function ip(random: () => number): string {
  return `10.${Math.floor(random() * 4)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
}

/** `count` events; event i gets a timestamp that only grows, with runs of equal timestamps. */
export function generateEvents(count: number, seed = 42, start = DATASET_START, end = DATASET_END): FaultlineEvent[] {
  const random = seededRandom(seed);
  const step = (end - start) / count;
  const events: FaultlineEvent[] = [];
  let ts = start;
  for (let i = 0; i < count; i++) {
    // About one event in five shares the previous event's timestamp: ties must sort by event.id.
    if (random() > 0.2) ts = Math.min(end - 1, Math.floor(start + i * step + random() * step));
    events.push(makeEvent(i, ts, random));
  }
  return events;
}

function makeEvent(i: number, ts: number, random: () => number): FaultlineEvent {
  const host = pick(random, hosts);
  const shape = random();
  let doc: JsonObject;
  if (shape < 0.4) {
    const user = pick(random, users);
    const address = ip(random);
    const failed = random() < 0.6;
    const pid = 1000 + Math.floor(random() * 30000);
    doc = {
      message: failed
        ? `Failed password for ${random() < 0.3 ? 'invalid user ' : ''}${user} from ${address} port ${1024 + Math.floor(random() * 60000)} ssh2`
        : `Accepted publickey for ${user} from ${address} port ${1024 + Math.floor(random() * 60000)} ssh2: RSA SHA256:x${i}`,
      host: { name: host },
      process: { name: 'sshd', pid },
      source: { ip: address },
      user: { name: user },
      log: {
        level: failed ? 'warning' : 'info',
        syslog: { facility: { code: 10, name: 'authpriv' }, severity: { code: failed ? 4 : 6, name: failed ? 'warning' : 'info' }, appname: 'sshd', procid: String(pid) },
      },
      event: { dataset: 'system.auth', severity: failed ? 4 : 6, outcome: failed ? 'failure' : 'success' },
    };
  } else if (shape < 0.75) {
    const status = pick(random, [200, 200, 200, 201, 301, 304, 404, 500, 502, 503]);
    const path = pick(random, paths);
    const bytes = Math.floor(random() * 50000);
    doc = {
      message: `GET ${path} HTTP/1.1 ${status} ${bytes} "Mozilla/5.0 (X11; Linux x86_64)"`,
      host: { name: host },
      service: { name: 'nginx' },
      source: { ip: ip(random) },
      http: { request: { method: pick(random, ['GET', 'POST', 'PUT', 'DELETE']) }, response: { status_code: status, body: { bytes } } },
      url: { original: path, path: path.split('?')[0] as string },
      log: { level: status >= 500 ? 'error' : 'info', file: { path: `/var/log/nginx/${host}.access.log` }, offset: i * 120 },
      event: { dataset: 'nginx.access' },
      app: { latency_ms: Math.round(random() * 250000) / 100 },
    };
  } else {
    const level = pick(random, levels);
    const service = pick(random, services);
    const errored = level === 'error' || level === 'critical';
    doc = {
      message: errored
        ? pick(random, [
            `connection refused to db-${1 + Math.floor(random() * 2)}:5432 (attempt ${1 + Math.floor(random() * 5)})`,
            `Timeout après 30s en attendant la réponse de l'entrepôt`,
            'OutOfMemoryError: Java heap space',
            `upstream prematurely closed connection while reading response header`,
          ])
        : pick(random, ['order placed', 'cache warmed in 12ms', 'user signed in', 'health check ok', 'Zählerstand aktualisiert', 'retrying request id=abc-123']),
      host: { name: host },
      service: { name: service, environment: random() < 0.8 ? 'production' : 'staging' },
      log: { level, logger: `com.example.${service}.Main` },
      event: { dataset: `${service}.app` },
      tags: random() < 0.3 ? ['deploy', `build-${Math.floor(random() * 4)}`] : random() < 0.1 ? [] : ['app'],
      labels: { team: pick(random, ['payments', 'platform', 'data']) },
      app: { region: pick(random, ['eu-west-1', 'us-east-1']) },
    };
    if (errored) {
      doc['error'] = { message: String(doc['message']), type: pick(random, ['IOException', 'TimeoutError']) };
      doc['trace'] = { id: `trace-${Math.floor(random() * 50)}` };
    }
    if (random() < 0.05) {
      doc['log'] = {
        ...(doc['log'] as JsonObject),
        syslog: { structured_data: { 'meta@32473': { sequence: String(i), origin: 'app' } }, msgid: 'ID47' },
      };
    }
    if (i % 997 === 0) {
      // Longer than the keyword limit: stored, but never matched by value.
      doc['url'] = { original: `/very/long/${'x'.repeat(1100)}` };
    }
  }
  doc['@timestamp'] = new Date(ts).toISOString();
  const event = doc['event'] as JsonObject;
  event['id'] = contentEventId({ seq: i, ts });
  return doc as FaultlineEvent;
}
