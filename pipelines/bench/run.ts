/**
 * Pipeline throughput on one core: `npx node pipelines/bench/run.ts [events]`. Prints events/s
 * per scenario against the owner's targets; asserts nothing (times vary by machine and load).
 * Inputs: the loghub Linux sample (RFC 3164) from ../shared/data, and generated nginx and NDJSON
 * lines. (Belongs in bench/ at the top once the owner wires it there.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPipelinesFromText } from '../index.ts';

const events = Number(process.argv[2] ?? 300_000);
const root = join(import.meta.dirname, '..', '..');

const grokDate = {
  id: 'grok-date',
  processors: [
    { grok: { patterns: ['^%{SYSLOGTIMESTAMP:timestamp} %{SYSLOGHOST:host.name} %{SYSLOGPROG}: ?%{GREEDYDATA:message}$'] } },
    { date: { formats: ['RFC3164'] } },
  ],
};

const syslog = {
  id: 'syslog-bench',
  processors: [
    { grok: { patterns: ['^%{SYSLOGTIMESTAMP:timestamp} %{SYSLOGHOST:host.name} %{SYSLOGPROG}: ?%{GREEDYDATA:message}$'] } },
    { date: { formats: ['RFC3164'] } },
    { remove: { field: 'timestamp' } },
    { set: { field: 'log.level', value: 'info', override: false } },
    { level: {} },
  ],
};

const nginx = {
  id: 'nginx-bench',
  processors: [
    { grok: { patterns: ['^%{HTTPD_COMBINEDLOG}$'] } },
    { date: { formats: ['HTTPDATE'] } },
    { remove: { field: 'timestamp' } },
    { rename: { field: 'source.address', target_field: 'source.ip' } },
    { user_agent: {} },
    { geoip: {} },
  ],
};

const ndjson = {
  id: 'ndjson-bench',
  processors: [{ json: { add_to_root: true } }, { date: { field: '@timestamp', formats: ['ISO8601'] } }],
};

const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  'curl/8.5.0',
];
const nginxLines = Array.from({ length: 2000 }, (_, i) => {
  const ip = `${(i * 37) % 223 + 1}.${(i * 11) % 256}.${(i * 7) % 256}.${i % 250 + 1}`;
  const status = [200, 200, 200, 304, 404, 500][i % 6];
  return `${ip} - - [10/Oct/2026:13:${String(i % 60).padStart(2, '0')}:36 +0200] "GET /api/items/${i}?page=${i % 7} HTTP/1.1" ${status} ${1000 + i} "https://example.com/" "${agents[i % agents.length]}"`;
});
const ndjsonLines = Array.from({ length: 2000 }, (_, i) =>
  JSON.stringify({ '@timestamp': `2026-11-23T12:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z`, 'log.level': 'info', message: `request ${i} done`, http: { response: { status_code: 200 } }, trace: { id: `t${i}` } }),
);
const syslogLines = readFileSync(join(root, '..', 'shared', 'data', 'loghub', 'Linux_2k.log'), 'utf8').split('\n').filter((line) => line !== '');

const set = loadPipelinesFromText([[grokDate, syslog, nginx, ndjson].map((document) => ({ file: `${document.id}.yaml`, text: JSON.stringify(document) }))]);

for (const [id, lines, target] of [
  ['grok-date', syslogLines, 500_000],
  ['syslog-bench', syslogLines, 500_000],
  ['nginx-bench', nginxLines, 150_000],
  ['ndjson-bench', ndjsonLines, 400_000],
] as const) {
  const pipeline = set.get(id);
  for (let i = 0; i < 20_000; i++) pipeline.run(lines[i % lines.length] as string);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let failed = 0;
  for (let i = 0; i < events; i++) {
    const event = pipeline.run(lines[i % lines.length] as string);
    if (event !== null && event['error'] !== undefined) failed++;
  }
  const rate = Math.round(events / ((performance.now() - started) / 1000));
  // Per CPU second as well: on a shared machine the wall clock also counts other processes' turns.
  const cpu = process.cpuUsage(cpuStarted);
  const cpuRate = Math.round(events / ((cpu.user + cpu.system) / 1e6));
  console.log(
    `${id.padEnd(14)} ${String(rate).padStart(9)} events/s wall, ${String(cpuRate).padStart(9)} per CPU second  target ${target}  ${cpuRate >= target ? 'met' : 'not met'}  (failed ${failed})`,
  );
}
