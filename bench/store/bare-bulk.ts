/**
 * The baseline for the Elasticsearch backend: a bare bulk loader that streams a pre-serialized
 * bulk body (action and source lines, made once by prepare.ts) to `_bulk` with a given number of
 * documents per request and requests in flight, as the bytes on disk, over kept-alive node:http
 * connections. No validation, no per-item bookkeeping beyond counting failures, answers filtered
 * to the items' statuses and not compressed: the most Elasticsearch can take from a client on this
 * machine. (Until 2026-12-07T13:45 it sent with fetch, which copies each body and asks for gzip
 * answers: 5.1 CPU seconds per million documents instead of 1.8, on the cores Elasticsearch uses.)
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { storeConfigSchema } from '../../core/config/schema.ts';
import { silentLogger } from '../../core/log.ts';
import { openStore } from '../../store/open.ts';
import { splitCredentials } from '../elasticsearch.ts';
import { linePieces } from '../lines.ts';

export interface BareResult {
  docsPerRequest: number;
  concurrency: number;
  events: number;
  failed: number;
  seconds: number;
  rate: number;
}

export async function bareLoad(url: string, file: string, docsPerRequest: number, concurrency: number, limit = Infinity): Promise<BareResult> {
  const { base, authorization } = splitCredentials(url);
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (authorization) headers['authorization'] = authorization;
  let events = 0;
  let failed = 0;
  const pending = new Set<Promise<void>>();

  // node:http(s) on kept-alive connections: the body goes out as the Buffer it is (fetch copies
  // it), and the answer comes back uncompressed (fetch asks for gzip, which Elasticsearch then
  // spends CPU on, beside this process inflating it).
  const target = new URL(`${base}/_bulk?filter_path=errors,items.*.status`);
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: concurrency });
  const send = async (body: Buffer, count: number): Promise<void> => {
    const { status, text } = await post(client.request, agent, target, { ...headers, 'content-length': String(body.length) }, body);
    if (status !== 200) throw new Error(`bulk answered ${status}: ${text.slice(0, 300)}`);
    // Only parse the answer when something failed: the loader is meant to be as light as possible.
    if (text.startsWith('{"errors":true') || text.includes('"errors":true')) {
      const answer = JSON.parse(text) as { items: Record<string, { status: number }>[] };
      for (const item of answer.items) if ((Object.values(item)[0]?.status ?? 500) >= 300) failed++;
    }
    events += count;
  };

  const started = performance.now();
  let read = 0;
  // Each request's action and source lines, sent as the bytes on disk.
  for await (const piece of linePieces(file, 2 * Math.min(docsPerRequest, limit))) {
    const docs = Math.floor(piece.lines / 2);
    const job = send(piece.body, docs).finally(() => pending.delete(job));
    pending.add(job);
    read += docs;
    if (pending.size >= concurrency) await Promise.race(pending);
    if (read >= limit) break;
  }
  await Promise.all(pending);
  const refresh = await fetch(`${base}/_refresh`, { method: 'POST', headers });
  await refresh.text();
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { docsPerRequest, concurrency, events, failed, seconds, rate: events / seconds };
}

/** One POST: its status and its answer's text. */
function post(send: typeof http.request, agent: http.Agent, url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'POST', agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function deleteIndices(url: string, pattern: string): Promise<void> {
  const { base, authorization } = splitCredentials(url);
  const response = await fetch(`${base}/${pattern}?expand_wildcards=all&ignore_unavailable=true&allow_no_indices=true`, {
    method: 'DELETE',
    headers: authorization ? { authorization } : {},
  });
  await response.text();
}

/** Installs the Elasticsearch backend's index template for `prefix`, through the backend itself. */
export async function installTemplate(url: string, prefix: string): Promise<void> {
  const store = await openStore(storeConfigSchema.parse({ type: 'elasticsearch', elasticsearch: { url, index_prefix: prefix } }), { logger: silentLogger });
  await store.search({ query: { kind: 'all' }, range: { from: 0, to: 1 }, size: 1, trackTotal: false });
  await store.close();
}

/**
 * The bare loader's best bulk size and concurrency, tried on the first `events` of the body into
 * `<prefix>-events-*` (emptied before each trial and after the last); `report` hears each trial.
 */
export async function tuneBareLoader(url: string, bulk: string, prefix: string, events: number, report: (result: BareResult) => void): Promise<{ trials: BareResult[]; best: BareResult }> {
  const trials: BareResult[] = [];
  for (const docsPerRequest of [1000, 2500, 5000]) {
    for (const concurrency of [1, 2, 4]) {
      await deleteIndices(url, `${prefix}-events-*`);
      const result = await bareLoad(url, bulk, docsPerRequest, concurrency, events);
      trials.push(result);
      report(result);
    }
  }
  await deleteIndices(url, `${prefix}-events-*`);
  return { trials, best: trials.reduce((a, b) => (b.rate > a.rate ? b : a)) };
}

/** Deletes the indices and the index templates named `<prefix>-*`: what a benchmark leaves when it is done. */
export async function deleteBenchData(url: string, prefix: string): Promise<void> {
  await deleteIndices(url, `${prefix}-*`);
  const { base, authorization } = splitCredentials(url);
  const response = await fetch(`${base}/_index_template/${prefix}-*`, { method: 'DELETE', headers: authorization ? { authorization } : {} });
  await response.text();
}
