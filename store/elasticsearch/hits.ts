/**
 * Search pages read hit by hit. A page of 1,000 events is a half-megabyte answer; parsed as one
 * string it lands in V8's large-object space, where a long scan or export leaves tens of megabytes
 * of garbage between full collections. Split at hit boundaries, every string is small and dies
 * young, and the answer is never held as a whole in the JavaScript heap.
 */
import type { Readable } from 'node:stream';
import { errors, type Client } from '@elastic/elasticsearch';
import type { FaultlineEvent } from '../../core/event/types.ts';
import type { Total } from '../contract.ts';

export interface Hit {
  _source: FaultlineEvent;
  sort?: (number | string)[];
}

export interface HitPage {
  total?: Total;
  hits: Hit[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Runs a search whose answer is `{"hits": {"total": ..., "hits": [...]}}` (see filter_path) and splits its hits. */
export async function searchHits(client: Client, index: string, querystring: Record<string, string | boolean>, body: Record<string, unknown>): Promise<HitPage> {
  const result = await client.transport.request<Readable>(
    { method: 'POST', path: `/${encodeURIComponent(index)}/_search`, querystring, body },
    { asStream: true, meta: true },
  );
  const chunks: Buffer[] = [];
  for await (const chunk of result.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  const answer = Buffer.concat(chunks);
  if (result.statusCode !== null && result.statusCode >= 400) {
    // Streamed answers skip the client's error handling; this restores it for errors.ts.
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.toString('utf8'));
    } catch {
      parsed = answer.toString('utf8', 0, 300);
    }
    throw new errors.ResponseError({ ...result, body: parsed, warnings: result.warnings ?? null });
  }
  return splitHits(answer);
}

/**
 * Parses a search answer, each hit on its own: the hits array is the first array directly inside
 * the top-level `hits` object, and everything around it (the total) is small.
 */
export function splitHits(answer: Buffer): HitPage {
  let depth = 0;
  let inString = false;
  let arrayStart = -1;
  let hitStart = -1;
  const hits: Hit[] = [];
  for (let i = 0; i < answer.length; i++) {
    const byte = answer[i] as number;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (byte === OPEN_ARRAY && depth === 2 && arrayStart < 0) arrayStart = i;
      else if (arrayStart >= 0 && depth === 3 && byte === OPEN_OBJECT) hitStart = i;
      depth++;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (hitStart >= 0 && depth === 3) {
        hits.push(JSON.parse(answer.toString('utf8', hitStart, i + 1)) as Hit);
        hitStart = -1;
      } else if (arrayStart >= 0 && depth === 2 && byte === CLOSE_ARRAY) {
        const envelope = JSON.parse(`${answer.toString('utf8', 0, arrayStart)}[]${answer.toString('utf8', i + 1)}`) as { hits?: { total?: Total } };
        return { total: envelope.hits?.total, hits };
      }
    }
  }
  const whole = JSON.parse(answer.toString('utf8') || '{}') as { hits?: { total?: Total } };
  return { total: whole.hits?.total, hits };
}
