/**
 * The bulk writer: validates each event, sends the valid ones as `create` operations (so `_id` =
 * event.id makes a retry a 409, never a second copy) in pre-serialized NDJSON, retries only the
 * items Elasticsearch could not take yet (429, 5xx, network), and dead-letters the ones it refused.
 * Once serialized, the events are not held while Elasticsearch answers (a refused one is read back
 * from its line): they die young instead of being carried into the old generation.
 */
import { contentEventId } from '../../core/event/id.ts';
import { getField, type FaultlineEvent, type JsonObject } from '../../core/event/types.ts';
import { validateEvent } from '../../core/event/validate.ts';
import { FaultlineError } from '../../core/errors.ts';
import { DEAD_LETTER_KIND, type DeadLetter, type WriteOutcome } from '../contract.ts';
import type { Connection } from './connection.ts';
import type { StateDocuments } from './documents.ts';
import { bodyReason, classify, describeFailure, toFaultlineError } from './errors.ts';
import { DAY_MS, dailyIndex } from './mapping.ts';

const RETRY_BASE_MS = 200;
/** Days whose action-line head is kept; events rarely span more, and the cache must stay small. */
const MAX_CACHED_DAYS = 1000;
const RETRY_CAP_MS = 10_000;
/** Only what the outcomes need: a smaller answer parses faster. */
const FILTER_PATH = 'errors,items.*.status,items.*.error.type,items.*.error.reason';

/** One valid event, serialized once: its action and source lines. */
interface Item {
  position: number;
  id: string;
  lines: string;
}

interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string };
}

interface BulkAnswer {
  errors: boolean;
  items?: Record<string, BulkItemResult>[];
}

export class BulkWriter {
  private readonly connection: Connection;
  private readonly documents: StateDocuments;
  /** Action-line heads per UTC day, so most events cost no date formatting. */
  private readonly heads = new Map<number, string>();

  constructor(connection: Connection, documents: StateDocuments) {
    this.connection = connection;
    this.documents = documents;
  }

  write(events: readonly JsonObject[]): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = new Array<WriteOutcome>(events.length);
    const letters: { id: string; doc: DeadLetter }[] = [];
    const items: Item[] = [];
    events.forEach((input, position) => {
      const result = validateEvent(input);
      if (result.ok) {
        items.push({ position, id: result.event.event.id, lines: this.serialize(result.event) });
      } else {
        const id = idOf(input);
        outcomes[position] = { id, status: 'rejected', reason: result.reason };
        letters.push({ id, doc: { reason: result.reason, at: new Date().toISOString(), event: input } });
      }
    });
    // Not async itself: what waits for Elasticsearch below holds the lines, not `events`.
    return this.deliver(items, outcomes, letters);
  }

  private async deliver(items: Item[], outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<WriteOutcome[]> {
    if (items.length > 0) {
      await this.connection.whenReady('writing events');
      await this.sendAll(items, outcomes, letters);
    }
    await this.documents.putMany(DEAD_LETTER_KIND, letters);
    return outcomes;
  }

  private serialize(event: FaultlineEvent): string {
    const ts = Date.parse(event['@timestamp']);
    const day = Math.floor(ts / DAY_MS);
    let head = this.heads.get(day);
    if (head === undefined) {
      head = `{"create":{"_index":${JSON.stringify(dailyIndex(this.connection.names, ts))},"_id":`;
      if (this.heads.size >= MAX_CACHED_DAYS) this.heads.clear();
      this.heads.set(day, head);
    }
    return `${head}${JSON.stringify(event.event.id)}}}\n${JSON.stringify(event)}\n`;
  }

  /** Cuts the items into requests by count and size, and runs them `bulk_concurrency` at a time. */
  private async sendAll(items: Item[], outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<void> {
    const { bulk_max_events: maxEvents, bulk_max_bytes: maxBytes, bulk_concurrency: concurrency } = this.connection.config;
    const chunks: Item[][] = [];
    let chunk: Item[] = [];
    let size = 0;
    for (const item of items) {
      if (chunk.length > 0 && (chunk.length >= maxEvents || size + item.lines.length > maxBytes)) {
        chunks.push(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(item);
      size += item.lines.length;
    }
    chunks.push(chunk);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await this.send(chunks[next++] as Item[], outcomes, letters);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  }

  /** Sends one request's items, retrying those that failed for a passing reason. */
  private async send(chunk: Item[], outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<void> {
    const { max_retries: maxRetries } = this.connection.config;
    let pending = chunk;
    for (let attempt = 0; ; attempt++) {
      let retry: Item[];
      let why: string;
      try {
        const answer = await this.connection.client.transport.request<BulkAnswer>(
          { method: 'POST', path: '/_bulk', querystring: { filter_path: FILTER_PATH }, bulkBody: pending.map((item) => item.lines).join('') },
          { maxRetries: 0 },
        );
        ({ retry, why } = this.settle(pending, answer, outcomes, letters));
      } catch (error) {
        const failure = classify(error);
        if (failure.kind !== 'unreachable' && failure.kind !== 'overloaded') throw toFaultlineError(error, 'writing events');
        retry = pending;
        why = describeFailure(failure);
      }
      if (retry.length === 0) return;
      if (attempt >= maxRetries) {
        throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', `writing events: ${retry.length} of them still failed after ${attempt + 1} attempts: ${why}`, {
          backend: 'elasticsearch',
          failed: retry.length,
        });
      }
      const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (!(await this.connection.pause(delay))) throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', 'writing events: the store was closed');
      pending = retry;
    }
  }

  /** Records each item's outcome; returns the items to send again. */
  private settle(
    pending: Item[],
    answer: BulkAnswer,
    outcomes: WriteOutcome[],
    letters: { id: string; doc: DeadLetter }[],
  ): { retry: Item[]; why: string } {
    if (!answer.errors) {
      for (const item of pending) outcomes[item.position] = { id: item.id, status: 'stored' };
      return { retry: [], why: '' };
    }
    const results = answer.items ?? [];
    if (results.length !== pending.length) {
      throw new FaultlineError('FL_ERR_STORE_FAILED', `writing events: Elasticsearch answered ${results.length} items for ${pending.length}`);
    }
    const retry: Item[] = [];
    let why = '';
    pending.forEach((item, k) => {
      const result = Object.values(results[k] ?? {})[0] ?? { status: 0 };
      const { status } = result;
      if (status === 200 || status === 201) {
        outcomes[item.position] = { id: item.id, status: 'stored' };
      } else if (status === 409) {
        outcomes[item.position] = { id: item.id, status: 'duplicate' };
      } else if (status === 429 || status >= 500) {
        retry.push(item);
        why = `${status} ${bodyReason({ error: result.error }) ?? ''}`.trim();
      } else if (status === 401 || status === 403) {
        throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', `writing events: Elasticsearch refused the write (${status} ${bodyReason({ error: result.error }) ?? ''})`, {
          backend: 'elasticsearch',
        });
      } else {
        const reason = `Elasticsearch rejected the event: ${bodyReason({ error: result.error }) ?? `status ${status}`}`;
        outcomes[item.position] = { id: item.id, status: 'rejected', reason };
        letters.push({ id: item.id, doc: { reason, at: new Date().toISOString(), event: sourceOf(item) } });
      }
    });
    return { retry, why };
  }
}

/** The id of an event that failed validation: its own when it has one, else a hash of it. */
function idOf(input: JsonObject): string {
  const id = getField(input, 'event.id') ?? input['event.id'];
  return typeof id === 'string' && id !== '' ? id : contentEventId(input);
}

/** The document of an item, read back from its source line (the second of its two). */
function sourceOf(item: Item): JsonObject {
  const start = item.lines.indexOf('\n') + 1;
  return JSON.parse(item.lines.slice(start, item.lines.length - 1)) as JsonObject;
}
