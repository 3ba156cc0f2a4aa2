/**
 * The Elasticsearch a benchmark measures against: FAULTLINE_TEST_ELASTICSEARCH_URL if set, else
 * the node scripts/elasticsearch.sh starts (or reuses).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { affinityOf, pinProcess } from './processes.ts';

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

/**
 * The process id of the Elasticsearch node at `url` when it runs on this machine (a process of
 * that id here is Elasticsearch's), else undefined: a remote node's id means nothing here.
 */
async function localElasticsearchPid(url: string): Promise<number | undefined> {
  const { base, authorization } = splitCredentials(url);
  const response = await fetch(`${base}/_nodes/_local/process?filter_path=nodes.*.process.id`, { headers: authorization ? { authorization } : {} });
  const answer = (await response.json()) as { nodes?: Record<string, { process?: { id?: number } }> };
  const pid = Object.values(answer.nodes ?? {})[0]?.process?.id;
  if (!response.ok || typeof pid !== 'number') return undefined;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('org.elasticsearch') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The CPUs of a turn on own CPUs. */
export const OWN_CPUS = { elasticsearch: '0', client: '1' } as const;

/**
 * Runs `turn` with Elasticsearch's threads on CPU 0 and this process's on CPU 1 (so the clients
 * it runs, and the processes it starts, which inherit it), then gives both their CPUs back.
 * Sharing every core, each CPU second a client spends is taken from Elasticsearch; here it is not:
 * each side gets what Elasticsearch on one core can take, as where Elasticsearch runs on machines
 * of its own. Skipped, with the reason, on one CPU, without taskset, or when Elasticsearch does
 * not run on this machine.
 */
export async function onOwnCpus<T>(url: string, turn: () => Promise<T>): Promise<{ result: T } | { skipped: string }> {
  if (cpus().length < 2) return { skipped: 'one CPU' };
  const pid = await localElasticsearchPid(url);
  if (pid === undefined) return { skipped: 'Elasticsearch does not run on this machine' };
  const elasticsearchWas = affinityOf(pid);
  const clientWas = affinityOf(process.pid);
  if (elasticsearchWas === undefined || clientWas === undefined) return { skipped: 'taskset is missing' };
  try {
    if (!pinProcess(pid, OWN_CPUS.elasticsearch) || !pinProcess(process.pid, OWN_CPUS.client)) return { skipped: 'taskset could not pin Elasticsearch or this process' };
    return { result: await turn() };
  } finally {
    pinProcess(pid, elasticsearchWas);
    pinProcess(process.pid, clientWas);
  }
}

/** Makes what was written to indices matching `pattern` searchable, and counts it. */
export async function refreshAndCount(url: string, pattern: string): Promise<number> {
  const { base, authorization } = splitCredentials(url);
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const options = 'allow_no_indices=true&ignore_unavailable=true';
  const refresh = await fetch(`${base}/${pattern}/_refresh?${options}`, { method: 'POST', headers });
  await refresh.text();
  const response = await fetch(`${base}/${pattern}/_count?${options}`, { headers });
  const answer = (await response.json()) as { count?: number };
  if (!response.ok || typeof answer.count !== 'number') throw new Error(`counting ${pattern} answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  return answer.count;
}

/** How far a wait for documents got: the count, and when it last grew (performance.now()). */
export interface Arrival {
  count: number;
  at: number;
}

/**
 * Refreshes and counts every `intervalMs` until `expected` documents are searchable, or until the
 * count has not moved for `stallMs`: then it answers what it got, and the caller reports the rest
 * as missing.
 */
export async function waitForCount(url: string, pattern: string, expected: number, intervalMs = 500, stallMs = 30_000): Promise<Arrival> {
  let last: Arrival = { count: -1, at: performance.now() };
  for (;;) {
    const count = await refreshAndCount(url, pattern);
    if (count >= expected) return { count, at: performance.now() };
    if (count !== last.count) last = { count, at: performance.now() };
    else if (performance.now() - last.at > stallMs) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Elasticsearch's own CPU (percent, as it reports it) at or under which it counts as quiet. */
const QUIET_CPU_PERCENT = 10;

/**
 * Waits until Elasticsearch is quiet (its process CPU at or under QUIET_CPU_PERCENT and no merge
 * running, in two readings `intervalMs` apart), or `limitMs` have passed: a run measured right
 * after another would otherwise pay for the merges, deletions and garbage the previous one left.
 * Answers how long it waited and whether it got quiet.
 */
export async function waitForQuiet(url: string, intervalMs = 500, limitMs = 30_000): Promise<{ waitedMs: number; quiet: boolean }> {
  const { base, authorization } = splitCredentials(url);
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const started = performance.now();
  let calm = 0;
  while (performance.now() - started < limitMs) {
    const response = await fetch(`${base}/_nodes/_local/stats/process,indices?filter_path=nodes.*.process.cpu.percent,nodes.*.indices.merges.current`, { headers });
    const answer = (await response.json()) as { nodes?: Record<string, { process?: { cpu?: { percent?: number } }; indices?: { merges?: { current?: number } } }> };
    const node = Object.values(answer.nodes ?? {})[0];
    const cpu = node?.process?.cpu?.percent;
    const merges = node?.indices?.merges?.current;
    if (!response.ok || typeof cpu !== 'number' || typeof merges !== 'number') throw new Error(`node stats answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    calm = cpu <= QUIET_CPU_PERCENT && merges === 0 ? calm + 1 : 0;
    if (calm >= 2) return { waitedMs: performance.now() - started, quiet: true };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return { waitedMs: performance.now() - started, quiet: false };
}
