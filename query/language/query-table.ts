/**
 * The query-language table: queries as users type them, each run on both stores and checked
 * against the reference evaluator on the contract dataset (store/testing/dataset.ts). Grouped by
 * what they exercise; every group mixes hits and misses.
 */
const hosts = ['web-1', 'web-2', 'db-1', 'db-2', 'cache-1', 'nope-9'];
const levels = ['debug', 'info', 'notice', 'warning', 'error', 'critical'];
const statuses = [200, 301, 404, 500, 503];
const users = ['alice', 'root', 'guest', 'nobody'];

export const queryTable: string[] = [
  // Words and phrases against message.
  'failed', 'FAILED', 'Failed', 'password', 'accepted', 'publickey', 'refused', 'timeout', 'heap', 'OutOfMemoryError',
  'connection refused', '"connection refused"', '"refused connection"', '"Failed password for invalid user"', '"for invalid"',
  'ssh2', 'port', 'db-1:5432', '"db-1:5432"', 'db', 'Zählerstand', 'zählerstand', '"l\'entrepôt"', "l'entrepôt", 'entrepôt',
  'après', '"health check ok"', 'health check', 'ok', 'order placed', '"order placed"', 'x1', 'abc-123', 'id=abc-123', '"retrying request"',
  'HTTP/1.1', '"GET /login"', 'Mozilla', '"X11; Linux"', 'message:failed', 'message:"connection refused"', 'message:(failed or refused)',
  // Wildcards on text and keywords.
  'pass*', 'PASS*', '*word', 'time*', 'refus*', 'conn*ion', 'z*', 'host.name:web-*', 'host.name:*-1', 'host.name:d*', 'host.name:WEB-*',
  'event.dataset:*.app', 'event.dataset:system.*', 'url.original:/api/*', 'url.original:/api/users\\?id=7', 'url.original:/api/users?id=7',
  'url.original:/very/long/*', 'user.name:a*', 'service.name:*out', 'log.logger:com.example.*',
  // Keyword equality and lists.
  ...hosts.map((host) => `host.name:${host}`),
  ...levels.map((level) => `log.level:${level}`),
  ...users.map((user) => `user.name:${user}`),
  'host.name:"web-1"', 'host.name:WEB-1', 'host.name:(web-1 or web-2)', 'host.name:(web-1 or db-1 or cache-1)', 'host.name:(not web-1)',
  'log.level:(error or critical)', 'service.name:checkout', 'service.name:postgres', 'service.environment:staging', 'event.dataset:nginx.access',
  'event.outcome:failure', 'event.outcome:success', 'tags:deploy', 'tags:app', 'tags:(deploy and build-1)', 'tags:(deploy or app)', 'tags:build-3',
  'labels.team:payments', 'labels.team:data', 'app.region:eu-west-1', 'app.region:"us-east-1"', 'trace.id:trace-7', 'error.type:TimeoutError',
  'log.syslog.msgid:ID47', 'http.request.method:POST', 'url.path:/login', 'source.ip:10.2.27.176', 'source.ip:10.9.9.9',
  'source.ip:10.0.0.0/8', 'source.ip:10.1.0.0/16', 'source.ip:10.2.27.0/24', 'source.ip:192.168.0.0/16', 'not source.ip:10.0.0.0/9',
  'source.ip >= 10.2.0.0 and source.ip < 10.3.0.0',
  // Numbers, dates and ranges.
  ...statuses.map((status) => `http.response.status_code:${status}`),
  'http.response.status_code >= 500', 'http.response.status_code > 500', 'http.response.status_code < 300', 'http.response.status_code <= 301',
  'http.response.status_code >= 400 and http.response.status_code < 500', 'http.response.status_code:(404 or 500)', 'process.pid > 30000',
  'process.pid < 1500', 'http.response.body.bytes >= 49000', 'app.latency_ms > 2000', 'app.latency_ms <= 10', 'app.latency_ms >= 100.5 and app.latency_ms < 101',
  'log.syslog.severity.code:4', 'event.severity <= 4', 'log.offset > 1000000',
  '@timestamp >= "2026-03-02T00:00:00Z"', '@timestamp < "2026-03-01T06:00:00Z"', '@timestamp >= 2026-03-03', '@timestamp:"2026-03-01T00:00:00.000Z"',
  'user.name >= m', 'user.name < b', 'host.name > db-2',
  // Exists.
  'error.message:*', 'tags:*', 'log.syslog.structured_data:*', 'url.original:*', 'service.name:*', 'trace.id:*', 'labels.team:*', 'nothing.here:*',
  'not error.message:*', 'not service.name:*', '*',
  // Boolean logic.
  'failed and host.name:db-1', 'failed or refused', 'failed and not invalid', 'not failed', 'not not failed', 'failed and (root or admin)',
  '(failed or accepted) and user.name:root', 'host.name:db-1 failed', 'log.level:error and service.name:checkout',
  'log.level:(error or critical) and not service.name:postgres', 'not (host.name:web-1 or host.name:web-2)',
  '(tags:deploy and log.level:info) or (http.response.status_code >= 500 and host.name:web-*)',
  'user.name:root and "Failed password"', 'accepted and not user.name:(root or admin)', 'error.message:heap or error.message:timeout',
  'error.message:"connection refused"', 'error.type:IOException and trace.id:*', 'service.name:auth and not tags:app',
  'host.name:cache-1 and http.response.status_code >= 500 and app.latency_ms > 1000',
  '(web or db) and not (failed or accepted)', 'failed AND NOT invalid OR refused', 'labels.team:payments and log.level:(warning or error)',
];
