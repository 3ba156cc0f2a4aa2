/**
 * A small handmade dataset for the embedded store's unit tests: each event exists to exercise one
 * semantic (arrays, ties, long keywords, dynamic types, flattened data, text arrays...).
 */
import type { JsonObject } from '../../core/event/types.ts';

export const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
export const ALL_TIME = { from: T0 - 3600_000, to: T0 + 3600_000 };

export const testEvents: JsonObject[] = [
  {
    '@timestamp': at(1),
    event: { id: 'e1', severity: 4, dataset: 'system.auth' },
    message: 'Failed password for root from 10.0.0.1 port 22 ssh2',
    host: { name: 'web-1' },
    user: { name: 'root' },
    source: { ip: '10.0.0.1' },
    tags: ['auth', 'ssh'],
    log: { level: 'warning' },
  },
  {
    '@timestamp': at(2),
    event: { id: 'e2', severity: 6, dataset: 'system.auth' },
    message: 'Accepted publickey for alice from 10.0.0.20',
    host: { name: 'web-2' },
    user: { name: 'alice' },
    source: { ip: '10.0.0.20' },
    tags: ['auth'],
    log: { level: 'info' },
  },
  {
    '@timestamp': at(3),
    event: { id: 'e3', dataset: 'checkout.app' },
    message: 'connection refused to db-1:5432 (attempt 3)',
    host: { name: 'db-1' },
    service: { name: 'checkout' },
    error: { message: 'connection refused', type: 'IOException' },
    http: { response: { status_code: 502 } },
    tags: [],
    log: { level: 'error' },
  },
  {
    '@timestamp': at(4),
    event: { id: 'e4', dataset: 'nginx.access' },
    message: 'GET /api/orders HTTP/1.1 200',
    host: { name: 'web-1' },
    http: { response: { status_code: 200 }, request: { method: 'GET' } },
    url: { original: '/api/orders?id=7' },
    source: { ip: '::1' },
    app: { latency_ms: 12.5 },
    log: { level: 'info' },
  },
  {
    '@timestamp': at(5),
    event: { id: 'e5', dataset: 'checkout.app' },
    message: 'Zählerstand aktualisiert: Timeout après 30s',
    host: { name: 'cache-1' },
    labels: { team: 'payments' },
    custom: { flag: true, count: 5, name: 'x5' },
    app: { latency_ms: 1500 },
    log: { level: 'notice' },
  },
  {
    '@timestamp': at(6),
    event: { id: 'e6', dataset: 'checkout.app' },
    message: 'refused connection',
    host: { name: 'WEB-1' },
    url: { original: `/long/${'x'.repeat(1100)}` },
    log: { level: 'critical', syslog: { structured_data: { 'meta@1': { seq: '1', origin: 'app' } } } },
  },
  {
    '@timestamp': at(7),
    event: { id: 'e7', ingested: '2026-03-01T01:00:07.500+01:00', dataset: 'java.app' },
    host: { name: null },
    error: { stack_trace: ['alpha beta', 'gamma delta'], type: 'NullPointerException' },
    custom: { count: 'seven', nothing: [null], none: [] },
  },
  {
    '@timestamp': at(7),
    event: { id: 'e8', dataset: 'system.auth' },
    message: 'db-?* literal pattern chars',
    host: { name: 'db-2' },
    user: { name: 'bob' },
    http: { request: { method: 'POST' } },
  },
];
