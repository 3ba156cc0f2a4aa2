/**
 * `npm run bench:pipelines`: events per second on one core through the built-in pipelines, over
 * 1,000,000 lines each, beside the cost of reading and splitting the same file in the same run:
 *   (a) RFC 3164 syslog -> syslog          target >= 500,000/s and within 3x of read-and-split
 *   (b) nginx access -> nginx-access       (grok + date + url + user_agent + geoip) target >= 150,000/s
 *   (c) NDJSON app logs -> json            target >= 400,000/s and within 3x of read-and-split
 * and (a) against rsyslog on the same file (parse + template + file), Faultline's events turned
 * into JSON and written to a file too; target ratio >= 1.0. Each figure is the best of three
 * rounds (the machine may be shared; the load averages are kept with the results). Asserts nothing.
 * Each scenario prints a checksum of its events (SHA-256 of their JSON, one a line, taken in the
 * warm-up pass): a change to the pipelines that changes their output changes it. The pipelines run
 * with a fixed clock for that, so that year inference gives the same years on any day.
 *
 *   npm run bench:pipelines [-- --lines N] [-- --no-rsyslog] [-- --help]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfiguredPipelines, loadPipelinesFromText, type Pipeline } from '../../pipelines/index.ts';
import { describeMachine, machine } from '../machine.ts';
import { CACHE, prepareInputs } from './inputs.ts';
import { eachLine } from '../lines.ts';
import { runRsyslog, type RsyslogOutcome } from './rsyslog.ts';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  process.stdout.write(
    'npm run bench:pipelines [-- --lines N] [-- --no-rsyslog]\n' +
      '  --lines N      lines per scenario (default 1,000,000; inputs are made once per size in .cache/bench/pipelines/)\n' +
      '  --no-rsyslog   skip the run of rsyslog on the syslog input\n' +
      'Prints events per second per scenario, the ratio to reading and splitting the same file, the\n' +
      'checksum of each scenario\'s output, and keeps the figures in bench/results/.\n',
  );
  process.exit(0);
}
const lines = argv.includes('--lines') ? Number(argv[argv.indexOf('--lines') + 1]) : 1_000_000;
const ROUNDS = 3;
const BENCH_CPU = 0;

// One core: the whole process (its GC helper threads too) runs pinned, re-executed under taskset.
if (process.env['FAULTLINE_BENCH_PINNED'] === undefined && spawnSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' }).status === 0) {
  const pinned = spawnSync('taskset', ['-c', String(BENCH_CPU), process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...argv], {
    stdio: 'inherit',
    env: { ...process.env, FAULTLINE_BENCH_PINNED: String(BENCH_CPU) },
  });
  process.exit(pinned.status ?? 1);
}

interface Measure {
  seconds: number;
  cpuSeconds: number;
  lines: number;
}

function measure(run: () => number): Measure {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const count = run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, lines: count };
}

function best(rounds: Measure[]): Measure {
  return rounds.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

const rate = (m: Measure) => m.lines / m.seconds;
const cpuRate = (m: Measure) => m.lines / m.cpuSeconds;
const fmt = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;

interface Scenario {
  id: string;
  title: string;
  file: string;
  pipeline: string;
  target: number;
  maxRatio: number | null;
  /** The least any pipeline of this scenario must do to each line, measured beside it. */
  floor?: { what: string; run: (line: string) => unknown };
}

const loadBefore = loadavg();
process.stderr.write(`machine: ${describeMachine()}\nload average: ${loadBefore.map((v) => v.toFixed(2)).join(' ')} (${cpus().length} cores)\npreparing ${lines.toLocaleString('en-US')}-line inputs in ${CACHE}\n`);
const inputs = prepareInputs(lines);
// The clock of year inference (RFC 3164 dates have no year) and `{{_ingest.timestamp}}`: fixed, so
// that the checksums stay the same from day to day; reading it is as cheap either way.
const REFERENCE_NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const pipelines = loadConfiguredPipelines(undefined, { now: () => REFERENCE_NOW });
// The syslog processor alone: the RFC 3164 header read into its ECS fields, before any of the
// syslog pipeline's normalization (sshd, PAM, su, cron, kernel).
const headerOnly = loadPipelinesFromText([[{ file: 'bench-floor.yaml', text: 'id: bench-syslog-header\nprocessors:\n  - syslog: {}\n' }]], {
  now: () => REFERENCE_NOW,
}).get('bench-syslog-header');

const scenarios: Scenario[] = [
  {
    id: 'syslog',
    title: 'RFC 3164 syslog -> syslog',
    file: inputs.syslog,
    pipeline: 'syslog',
    target: 500_000,
    maxRatio: 3,
    floor: { what: 'the syslog processor alone (header into ECS fields)', run: (line) => headerOnly.run(line) },
  },
  { id: 'nginx-access', title: 'nginx access -> nginx-access (grok, date, url, user_agent, geoip)', file: inputs.nginx, pipeline: 'nginx-access', target: 150_000, maxRatio: null },
  {
    id: 'json',
    title: 'NDJSON app logs -> json',
    file: inputs.ndjson,
    pipeline: 'json',
    target: 400_000,
    maxRatio: 3,
    floor: { what: 'JSON.parse of each line', run: (line) => JSON.parse(line) as unknown },
  },
];

/** Runs the pipeline over the file; counts events it marked as failed or not understood. */
function runPipeline(pipeline: Pipeline, file: string, problems: { count: number }): number {
  return eachLine(file, (line) => {
    const event = pipeline.run(line);
    if (event !== null && event['tags'] !== undefined) problems.count++;
  });
}

/** SHA-256 of the events' JSON, one a line (null for a dropped event): what the pipeline made of the file. */
function outputChecksum(pipeline: Pipeline, file: string): string {
  const hash = createHash('sha256');
  let chunk = '';
  eachLine(file, (line) => {
    chunk += `${JSON.stringify(pipeline.run(line))}\n`;
    if (chunk.length > 1 << 20) {
      hash.update(chunk);
      chunk = '';
    }
  });
  return hash.update(chunk).digest('hex');
}

const results = [];
for (const scenario of scenarios) {
  const pipeline = pipelines.get(scenario.pipeline);
  const problems = { count: 0 };
  // Warm-up: the JIT and the caches (user agents, GeoIP, years) see the input once, and the output is checked.
  const output = outputChecksum(pipeline, scenario.file);
  const baseline: Measure[] = [];
  const faultline: Measure[] = [];
  const floors: Measure[] = [];
  let sink = 0;
  const { floor } = scenario;
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(measure(() => eachLine(scenario.file, (line) => (sink += line.length))));
    problems.count = 0;
    faultline.push(measure(() => runPipeline(pipeline, scenario.file, problems)));
    if (floor) floors.push(measure(() => eachLine(scenario.file, (line) => (sink += floor.run(line) === null ? 0 : 1))));
  }
  const base = best(baseline);
  const run = best(faultline);
  const least = floors.length > 0 ? best(floors) : undefined;
  const ratio = run.seconds / base.seconds;
  const met = rate(run) >= scenario.target && (scenario.maxRatio === null || ratio <= scenario.maxRatio);
  results.push({
    ...scenario,
    lines: run.lines,
    notUnderstood: problems.count,
    readAndSplit: { rate: rate(base), cpuRate: cpuRate(base), seconds: base.seconds },
    faultline: { rate: rate(run), cpuRate: cpuRate(run), seconds: run.seconds },
    rounds: faultline.map(rate),
    ratioToReadAndSplit: ratio,
    floor: floor && least ? { what: floor.what, rate: rate(least), ratioToReadAndSplit: least.seconds / base.seconds } : undefined,
    met,
    outputChecksum: output,
    readChecksum: sink,
  });
  process.stderr.write(`${scenario.id}: ${fmt(rate(run))} (read+split ${fmt(rate(base))}, ${ratio.toFixed(2)}x), output sha256 ${output.slice(0, 16)}\n`);
  if (floor && least) process.stderr.write(`  floor: ${floor.what}: ${fmt(rate(least))}, ${(least.seconds / base.seconds).toFixed(2)}x read+split\n`);
}

// Against rsyslog: both parse the syslog file and write one normalized line per message.
const syslog = pipelines.get('syslog');
const jsonOut = `${CACHE}faultline-out.ndjson`;
const OUT_BYTES = 4 << 20;
/** What rsyslog writes, kept with the results (results without it had rsyslog write tab-separated text). */
const RSYSLOG_OUTPUT =
  'one JSON object a line after mmnormalize (bench/rsyslog-normalize.rb): @timestamp, host.name, process.name, process.pid, log.syslog.facility.name, log.syslog.severity.name, message, normalized';
const endToEnd = best(
  Array.from({ length: ROUNDS }, () =>
    measure(() => {
      // Each event's JSON written as UTF-8 into one buffer, as the Elasticsearch store writes bulk
      // bodies, and the buffer to the file when full.
      const fd = openSync(jsonOut, 'w');
      const buffer = Buffer.allocUnsafe(OUT_BYTES);
      let size = 0;
      const count = eachLine(inputs.syslog, (line) => {
        const json = JSON.stringify(syslog.run(line));
        if (size + 3 * json.length + 1 > OUT_BYTES) {
          writeSync(fd, buffer, 0, size);
          size = 0;
        }
        size += buffer.write(json, size);
        buffer[size++] = 0x0a;
      });
      writeSync(fd, buffer, 0, size);
      closeSync(fd);
      return count;
    }),
  ),
);
rmSync(jsonOut, { force: true });
let rsyslog: RsyslogOutcome = { ran: false, reason: 'skipped (--no-rsyslog)' };
if (!argv.includes('--no-rsyslog')) {
  process.stderr.write('rsyslog: running on the same syslog file\n');
  // Its own core beside ours: the benchmark only feeds it while it runs.
  rsyslog = await runRsyslog(inputs.syslog, lines, cpus().length > 1 ? BENCH_CPU + 1 : BENCH_CPU);
}
const loadAfter = loadavg();

const at = new Date().toISOString();
const report = {
  benchmark: 'pipelines',
  at,
  machine: machine(),
  loadAverage: { before: loadBefore, after: loadAfter },
  pinnedCpu: process.env['FAULTLINE_BENCH_PINNED'] ?? null,
  lines,
  rounds: ROUNDS,
  scenarios: results,
  rsyslog: {
    faultline: { what: 'syslog pipeline + JSON.stringify + file', rate: rate(endToEnd), cpuRate: cpuRate(endToEnd), seconds: endToEnd.seconds },
    ...(rsyslog.ran
      ? { rsyslog: { ...rsyslog.result, output: RSYSLOG_OUTPUT }, ratio: rate(endToEnd) / rsyslog.result.rate, cpuRatio: cpuRate(endToEnd) / rsyslog.result.cpuRate, target: 1 }
      : { skipped: rsyslog.reason }),
  },
};

const rows = [['', 'Faultline', 'per CPU s', 'read+split', 'ratio', 'target', ''], ...results.map((r) => [
  r.title,
  fmt(r.faultline.rate),
  fmt(r.faultline.cpuRate),
  fmt(r.readAndSplit.rate),
  `${r.ratioToReadAndSplit.toFixed(2)}x`,
  `>= ${fmt(r.target)}${r.maxRatio === null ? '' : `, <= ${r.maxRatio}x`}`,
  r.met ? 'met' : 'NOT met',
])];
const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((row) => (row[i] as string).length)));
process.stdout.write(`\npipeline benchmark, ${lines.toLocaleString('en-US')} lines per scenario, best of ${ROUNDS} rounds, one core\nmachine: ${describeMachine()}\nload average: before ${loadBefore.map((v) => v.toFixed(2)).join(' ')}, after ${loadAfter.map((v) => v.toFixed(2)).join(' ')}\n\n`);
for (const row of rows) process.stdout.write(`${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')}\n`);
process.stdout.write(`\noutput checksums (SHA-256 of the events' JSON lines, clock fixed at ${new Date(REFERENCE_NOW).toISOString()}):\n`);
for (const r of results) process.stdout.write(`  ${r.id.padEnd(12)} ${r.outputChecksum}\n`);
process.stdout.write('\nfloors (the least a pipeline of the scenario must do to each line, on the same core):\n');
for (const r of results) {
  if (r.floor) process.stdout.write(`  ${r.id.padEnd(12)} ${r.floor.what}: ${fmt(r.floor.rate)}, ${r.floor.ratioToReadAndSplit.toFixed(2)}x read+split\n`);
}
const e2e = report.rsyslog.faultline;
if (rsyslog.ran) {
  const r = rsyslog.result;
  process.stdout.write(
    `\nvs rsyslog (${r.version}, TCP in, RFC 3164 parser, mmnormalize, JSON to file${r.cpu === null ? '' : `, pinned to CPU ${r.cpu}`}):\n` +
      `  rsyslog    ${fmt(r.rate)} wall, ${fmt(r.cpuRate)} per CPU second\n` +
      `  Faultline  ${fmt(e2e.rate)} wall, ${fmt(e2e.cpuRate)} per CPU second (syslog pipeline, events as JSON to a file)\n` +
      `  ratio      ${(e2e.rate / r.rate).toFixed(2)} wall, ${(e2e.cpuRate / r.cpuRate).toFixed(2)} per CPU second (target >= 1.0)\n`,
  );
} else {
  process.stdout.write(`\nrsyslog: ${rsyslog.reason}\n`);
}
const out = fileURLToPath(new URL(`../results/pipelines-${at.slice(0, 19).replaceAll(':', '')}.json`, import.meta.url));
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nkept in ${out}\n`);
