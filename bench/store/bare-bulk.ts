/**
 * The baseline for the Elasticsearch backend: a bare bulk loader that streams a pre-serialized
 * bulk body (action and source lines, made once by prepare.ts) to `_bulk` with a given number of
 * documents per request and requests in flight. No validation, no per-item bookkeeping beyond
 * counting failures: the most Elasticsearch can take from a client on this machine.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { splitCredentials } from '../elasticsearch.ts';

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

  const send = async (body: string, count: number): Promise<void> => {
    const response = await fetch(`${base}/_bulk`, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok) throw new Error(`bulk answered ${response.status}: ${text.slice(0, 300)}`);
    // Only parse the answer when something failed: the loader is meant to be as light as possible.
    if (text.startsWith('{"errors":true') || text.includes('"errors":true')) {
      const answer = JSON.parse(text) as { items: Record<string, { status: number }>[] };
      for (const item of answer.items) if ((Object.values(item)[0]?.status ?? 500) >= 300) failed++;
    }
    events += count;
  };

  const started = performance.now();
  let body = '';
  let inBody = 0;
  let lineNumber = 0;
  let read = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    body += `${line}\n`;
    if (++lineNumber % 2 === 1) continue;
    inBody++;
    read++;
    if (inBody === docsPerRequest || read >= limit) {
      const job = send(body, inBody).finally(() => pending.delete(job));
      pending.add(job);
      body = '';
      inBody = 0;
      if (pending.size >= concurrency) await Promise.race(pending);
      if (read >= limit) break;
    }
  }
  if (inBody > 0) await send(body, inBody);
  await Promise.all(pending);
  const refresh = await fetch(`${base}/_refresh`, { method: 'POST', headers });
  await refresh.text();
  const seconds = (performance.now() - started) / 1000;
  return { docsPerRequest, concurrency, events, failed, seconds, rate: events / seconds };
}

export async function deleteIndices(url: string, pattern: string): Promise<void> {
  const { base, authorization } = splitCredentials(url);
  const response = await fetch(`${base}/${pattern}?expand_wildcards=all&ignore_unavailable=true&allow_no_indices=true`, {
    method: 'DELETE',
    headers: authorization ? { authorization } : {},
  });
  await response.text();
}
