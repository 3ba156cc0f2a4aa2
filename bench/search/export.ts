/**
 * `npm run bench:export`: export of 1,000,000 events through `GET /api/export` from a running
 * `faultline serve` on the embedded store, with the server's resident memory sampled from /proc
 * throughout. Baseline in the same run: reading the same events as a file. Target (issue): the
 * export streams with the server under 200 MB.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, machine } from '../machine.ts';
import { prepareInput } from '../store/prepare.ts';
import { BIN, faultlineEnv, startServe } from './serve.ts';
import { NODE_FLAGS } from '../../cli/node-flags.ts';

const count = process.argv.includes('--events') ? Number(process.argv[process.argv.indexOf('--events') + 1]) : 1_000_000;
const input = await prepareInput(count, 'bench-bare');
const data = mkdtempSync(join(tmpdir(), 'faultline-export-'));
const env = faultlineEnv({ FAULTLINE_DATA_DIR: data, FAULTLINE_LOG_LEVEL: 'warn' });

process.stderr.write(`loading ${count} events into the embedded store...\n`);
execFileSync(process.execPath, [...NODE_FLAGS, BIN, 'ingest', '--format', 'ndjson', input.events], { env, stdio: ['ignore', 'ignore', 'inherit'] });

const server = await startServe({ FAULTLINE_DATA_DIR: data });
const url = server.url;

const rss = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};
const before = rss();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

const started = performance.now();
const response = await fetch(`${url}/api/export?from=2000-01-01&to=2100-01-01&format=ndjson`);
let lines = 0;
let bytes = 0;
for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
  bytes += chunk.byteLength;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
await server.stop();

const readStarted = performance.now();
let fileBytes = 0;
for await (const chunk of createReadStream(input.events)) fileBytes += (chunk as Buffer).byteLength;
const readSeconds = (performance.now() - readStarted) / 1000;
rmSync(data, { recursive: true, force: true });

const result = {
  benchmark: 'export',
  at: new Date().toISOString(),
  machine: machine(),
  events: lines,
  bytes,
  seconds,
  rate: lines / seconds,
  serverRssMb: { before, peak },
  baseline: { readFileRate: count / readSeconds, fileBytes },
  target: { peakRssMb: 200 },
};
process.stdout.write(`\nexport benchmark, ${count.toLocaleString('en-US')} events\nmachine: ${describeMachine()}\n\n`);
process.stdout.write(`exported ${lines.toLocaleString('en-US')} events (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${seconds.toFixed(1)} s: ${Math.round(result.rate).toLocaleString('en-US')}/s\n`);
process.stdout.write(`reading the same events from a file: ${Math.round(result.baseline.readFileRate).toLocaleString('en-US')}/s (ratio ${(result.rate / result.baseline.readFileRate).toFixed(2)})\n`);
process.stdout.write(`server RSS: ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak (target < 200 MB)\n`);
const out = fileURLToPath(new URL(`../results/export-${result.at.slice(0, 16).replace(':', '')}.json`, import.meta.url));
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`kept in ${out}\n`);
