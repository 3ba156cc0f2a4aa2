/**
 * The bulk writer: validates each event, sends the valid ones as `create` operations (so `_id` =
 * event.id makes a retry a 409, never a second copy) in pre-serialized NDJSON, retries only the
 * items Elasticsearch could not take yet (429, 5xx, network), and dead-letters the ones it refused.
 * Once serialized, the events are not held while Elasticsearch answers (a refused one is read back
 * from its line): they die young instead of being carried into the old generation. Each request's
 * body is written as UTF-8 straight into one Buffer as the events are serialized, which the client
 * sends as it is: no string of the whole body, no per-event string kept, no copy to encode it.
 */
import { contentEventId } from '../../core/event/id.ts';
import { getField, type JsonObject } from '../../core/event/types.ts';
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

/** One valid event, serialized once: where its action and source lines are in its request's body. */
interface Item {
  position: number;
  id: string;
  /** Byte offsets in the body: the action line, the source line, the end of the source line's newline. */
  start: number;
  source: number;
  end: number;
}

/** First size of a request body's buffer; it doubles as needed. */
const FIRST_BODY_BYTES = 256 * 1024;

/** One bulk request: its items and their NDJSON, written as UTF-8 into a buffer that grows. */
class Chunk {
  readonly items: Item[] = [];
  /** Bytes written (UTF-16 length counted, as bulk_max_bytes is checked: close enough for a limit). */
  length = 0;
  #buffer = Buffer.allocUnsafe(FIRST_BODY_BYTES);
  #size = 0;

  add(position: number, id: string, action: string, source: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.#reserve(3 * (action.length + source.length) + 2);
    const start = this.#size;
    this.#size += this.#buffer.write(action, this.#size);
    this.#buffer[this.#size++] = 0x0a;
    const from = this.#size;
    this.#size += this.#buffer.write(source, this.#size);
    this.#buffer[this.#size++] = 0x0a;
    this.items.push({ position, id, start, source: from, end: this.#size });
    this.length += action.length + source.length + 2;
  }

  /** The body for these items: the whole buffer's written part when they are all of them. */
  body(items: Item[]): Buffer {
    if (items.length === this.items.length) return this.#buffer.subarray(0, this.#size);
    return Buffer.concat(items.map((item) => this.#buffer.subarray(item.start, item.end)));
  }

  /** The document of an item, read back from its source line. */
  sourceOf(item: Item): JsonObject {
    return JSON.parse(this.#buffer.toString('utf8', item.source, item.end - 1)) as JsonObject;
  }

  #reserve(bytes: number): void {
    if (this.#size + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#size + bytes));
    this.#buffer.copy(grown, 0, 0, this.#size);
    this.#buffer = grown;
  }
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

  write(events: Iterable<JsonObject>): Promise<WriteOutcome[]> {
    const { bulk_max_events: maxEvents, bulk_max_bytes: maxBytes } = this.connection.config;
    const outcomes: WriteOutcome[] = [];
    const letters: { id: string; doc: DeadLetter }[] = [];
    const chunks: Chunk[] = [];
    let chunk = new Chunk();
    let position = -1;
    // Each event is serialized as it is taken and not referenced after: with delivery's lazy
    // batches, it dies young.
    for (const input of events) {
      position++;
      const result = validateEvent(input);
      if (!result.ok) {
        const id = idOf(input);
        outcomes[position] = { id, status: 'rejected', reason: result.reason };
        letters.push({ id, doc: { reason: result.reason, at: new Date().toISOString(), event: input } });
        continue;
      }
      const { event } = result;
      const action = `${this.actionHead(event['@timestamp'])}${JSON.stringify(event.event.id)}}}`;
      const source = JSON.stringify(event);
      if (chunk.items.length > 0 && (chunk.items.length >= maxEvents || chunk.length + action.length + source.length + 2 > maxBytes)) {
        chunks.push(chunk);
        chunk = new Chunk();
      }
      chunk.add(position, event.event.id, action, source);
    }
    outcomes.length = position + 1;
    if (chunk.items.length > 0) chunks.push(chunk);
    // Not async itself: what waits for Elasticsearch below holds the bodies, not `events`.
    return this.deliver(chunks, outcomes, letters);
  }

  private async deliver(chunks: Chunk[], outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<WriteOutcome[]> {
    if (chunks.length > 0) {
      await this.connection.whenReady('writing events');
      await this.sendAll(chunks, outcomes, letters);
    }
    await this.documents.putMany(DEAD_LETTER_KIND, letters);
    return outcomes;
  }

  /** The action line up to the id: `{"create":{"_index":"<daily index>","_id":`, kept per UTC day. */
  private actionHead(timestamp: string): string {
    const ts = Date.parse(timestamp);
    const day = Math.floor(ts / DAY_MS);
    let head = this.heads.get(day);
    if (head === undefined) {
      head = `{"create":{"_index":${JSON.stringify(dailyIndex(this.connection.names, ts))},"_id":`;
      if (this.heads.size >= MAX_CACHED_DAYS) this.heads.clear();
      this.heads.set(day, head);
    }
    return head;
  }

  /** Runs the requests `bulk_concurrency` at a time. */
  private async sendAll(chunks: Chunk[], outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<void> {
    const { bulk_concurrency: concurrency } = this.connection.config;
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await this.send(chunks[next++] as Chunk, outcomes, letters);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  }

  /** Sends one request's items, retrying those that failed for a passing reason. */
  private async send(chunk: Chunk, outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<void> {
    const { max_retries: maxRetries } = this.connection.config;
    let pending = chunk.items;
    for (let attempt = 0; ; attempt++) {
      let retry: Item[];
      let why: string;
      try {
        const answer = await this.connection.client.transport.request<BulkAnswer>(
          { method: 'POST', path: '/_bulk', querystring: { filter_path: FILTER_PATH }, bulkBody: chunk.body(pending) },
          { maxRetries: 0 },
        );
        ({ retry, why } = this.settle(chunk, pending, answer, outcomes, letters));
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
    chunk: Chunk,
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
        letters.push({ id: item.id, doc: { reason, at: new Date().toISOString(), event: chunk.sourceOf(item) } });
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
