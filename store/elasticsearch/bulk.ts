/**
 * The bulk writer: validates each event, sends the valid ones as `create` operations (so `_id` =
 * event.id makes a retry a 409, never a second copy) in pre-serialized NDJSON, retries only the
 * items Elasticsearch could not take yet (429, 5xx, network), and dead-letters the ones it refused.
 * Once serialized, the events are not held while Elasticsearch answers (a refused one is read back
 * from its line): they die young instead of being carried into the old generation. Each request's
 * body is written as UTF-8 straight into one Buffer as the events are serialized, which the client
 * sends as it is: no string of the whole body, no per-event string kept, no copy to encode it.
 */
import { Serializer } from '@elastic/elasticsearch';
import { contentEventId } from '../../core/event/id.ts';
import { getField, type JsonObject } from '../../core/event/types.ts';
import { parseIsoDate, validateEvent } from '../../core/event/validate.ts';
import { FaultlineError } from '../../core/errors.ts';
import { DEAD_LETTER_KIND, DUPLICATE, STORED, type DeadLetter, type WriteOutcome } from '../contract.ts';
import type { Connection } from './connection.ts';
import type { StateDocuments } from './documents.ts';
import { bodyReason, classify, describeFailure, toFaultlineError } from './errors.ts';
import { DAY_MS, dailyIndex } from './mapping.ts';

const RETRY_BASE_MS = 200;
/** Days whose action-line head is kept; events rarely span more, and the cache must stay small. */
const MAX_CACHED_DAYS = 1000;
const RETRY_CAP_MS = 10_000;
/** Only what the outcomes need: a smaller answer parses faster. */
export const FILTER_PATH = 'errors,items.*.status,items.*.error.type,items.*.error.reason';

/** How an answer to FILTER_PATH begins when no item failed (Elasticsearch writes `errors` first). */
const NO_ITEM_ERRORS = '{"errors":false,"items":[';

/**
 * The client's JSON reader, with one shortcut: a bulk answer filtered to FILTER_PATH that reports
 * no item error is read as `{ errors: false }` without its items, which the writer does not need
 * then (every item was created): a request of 5,000 events would otherwise become 10,000 objects
 * dropped at once. Any other answer, a bulk answer with errors among them, is read whole.
 */
export class BulkAnswerSerializer extends Serializer {
  override deserialize<T = unknown>(json: string): T {
    if (json.startsWith(NO_ITEM_ERRORS)) return { errors: false } as T;
    return super.deserialize<T>(json);
  }
}

/** What ends an action line after its id: the two objects' braces and the newline. */
const ACTION_END = Buffer.from('}}\n');

/** First size of a request body's buffer; it doubles as needed. */
const FIRST_BODY_BYTES = 256 * 1024;
/** Bodies' buffers kept for the next requests, at most this many bytes of them. */
const MAX_SPARE_BYTES = 32 * 1024 * 1024;

/**
 * Request bodies' buffers, used again once their request is answered: each request does not
 * allocate (and grow) its own megabytes outside the heap, whose churn would set off full
 * garbage collections.
 */
class BodyBuffers {
  #spare: Buffer[] = [];
  #bytes = 0;

  take(): Buffer {
    const buffer = this.#spare.pop();
    if (buffer === undefined) return Buffer.allocUnsafe(FIRST_BODY_BYTES);
    this.#bytes -= buffer.length;
    return buffer;
  }

  give(buffer: Buffer): void {
    if (this.#bytes + buffer.length > MAX_SPARE_BYTES) return;
    this.#spare.push(buffer);
    this.#bytes += buffer.length;
  }
}

/**
 * One bulk request: its items (valid events, serialized once) and their NDJSON, written as UTF-8
 * into a buffer that grows. An item is its index here; what it needs is kept in flat arrays of
 * numbers rather than an object or a string per event, as they live as long as the request (long
 * enough to be promoted out of the young generation, which costs per object). The rare item that
 * needs more (a rejected event's id and document) is read back from the body.
 */
class Chunk {
  /** Each item's position in the batch given to `write`. */
  readonly positions: number[] = [];
  /** Bytes written (UTF-16 length counted, as bulk_max_bytes is checked: close enough for a limit). */
  length = 0;
  /** Per item, byte offsets in the body: its action line, its source line, the end of the source line's newline. */
  #offsets: number[] = [];
  readonly #buffers: BodyBuffers;
  #buffer: Buffer;
  #size = 0;

  constructor(buffers: BodyBuffers) {
    this.#buffers = buffers;
    this.#buffer = buffers.take();
  }

  get count(): number {
    return this.positions.length;
  }

  /** Every item, in order: what is sent first. */
  all(): number[] {
    return Array.from({ length: this.count }, (_, item) => item);
  }

  /**
   * Adds an item of `length` UTF-16 units, newlines included. Its action line is `head` + `id` +
   * `}}`, written in those pieces: a string joined from them would be flattened into one more copy
   * for the write.
   */
  add(position: number, head: string, id: string, source: string, length: number): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.#reserve(3 * length);
    const buffer = this.#buffer;
    const start = this.#size;
    let size = start + buffer.write(head, start);
    size += buffer.write(id, size);
    for (let at = 0; at < ACTION_END.length; at++) buffer[size++] = ACTION_END[at] as number;
    const from = size;
    size += buffer.write(source, size);
    buffer[size++] = 0x0a;
    this.#size = size;
    this.positions.push(position);
    this.#offsets.push(start, from, size);
    this.length += length;
  }

  /** The body for these items: the whole buffer's written part when they are all of them. */
  body(items: number[]): Buffer {
    if (items.length === this.count) return this.#buffer.subarray(0, this.#size);
    const offsets = this.#offsets;
    return Buffer.concat(items.map((item) => this.#buffer.subarray(offsets[3 * item] as number, offsets[3 * item + 2] as number)));
  }

  /** The document of an item, read back from its source line. */
  sourceOf(item: number): JsonObject {
    const offsets = this.#offsets;
    return JSON.parse(this.#buffer.toString('utf8', offsets[3 * item + 1] as number, (offsets[3 * item + 2] as number) - 1)) as JsonObject;
  }

  /** Gives the buffer back once the request is answered (and its items' sources read). */
  release(): void {
    this.#buffers.give(this.#buffer);
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
  private readonly bodies = new BodyBuffers();

  constructor(connection: Connection, documents: StateDocuments) {
    this.connection = connection;
    this.documents = documents;
  }

  write(events: Iterable<JsonObject>): Promise<WriteOutcome[]> {
    const { bulk_max_events: maxEvents, bulk_max_bytes: maxBytes } = this.connection.config;
    const outcomes: WriteOutcome[] = [];
    const letters: { id: string; doc: DeadLetter }[] = [];
    const chunks: Chunk[] = [];
    let chunk = new Chunk(this.bodies);
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
      const head = this.actionHead(event['@timestamp']);
      const id = JSON.stringify(event.event.id);
      const source = JSON.stringify(event);
      const length = head.length + id.length + ACTION_END.length + source.length + 1;
      if (chunk.count > 0 && (chunk.count >= maxEvents || chunk.length + length > maxBytes)) {
        chunks.push(chunk);
        chunk = new Chunk(this.bodies);
      }
      chunk.add(position, head, id, source, length);
    }
    outcomes.length = position + 1;
    if (chunk.count > 0) chunks.push(chunk);
    else chunk.release();
    // Not async itself: what waits for Elasticsearch below holds the bodies, not `events`.
    return this.deliver(chunks, outcomes, letters);
  }

  private async deliver(chunks: Chunk[], outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<WriteOutcome[]> {
    if (chunks.length > 0) {
      try {
        await this.connection.whenReady('writing events');
        await this.sendAll(chunks, outcomes, letters);
      } finally {
        for (const chunk of chunks) chunk.release();
      }
    }
    await this.documents.putMany(DEAD_LETTER_KIND, letters);
    return outcomes;
  }

  /** The action line up to the id: `{"create":{"_index":"<daily index>","_id":`, kept per UTC day. */
  private actionHead(timestamp: string): string {
    const ts = parseIsoDate(timestamp);
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
    let failed = false;
    const worker = async () => {
      try {
        while (!failed && next < chunks.length) await this.send(chunks[next++] as Chunk, outcomes, letters);
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    // Every request settles before this does: their bodies' buffers are used again after it.
    const settled = await Promise.allSettled(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
  }

  /** Sends one request's items, retrying those that failed for a passing reason. */
  private async send(chunk: Chunk, outcomes: WriteOutcome[], letters: { id: string; doc: DeadLetter }[]): Promise<void> {
    const { max_retries: maxRetries } = this.connection.config;
    let pending = chunk.all();
    for (let attempt = 0; ; attempt++) {
      let retry: number[];
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
    pending: number[],
    answer: BulkAnswer,
    outcomes: WriteOutcome[],
    letters: { id: string; doc: DeadLetter }[],
  ): { retry: number[]; why: string } {
    const { positions } = chunk;
    if (!answer.errors) {
      for (const item of pending) outcomes[positions[item] as number] = STORED;
      return { retry: [], why: '' };
    }
    const results = answer.items ?? [];
    if (results.length !== pending.length) {
      throw new FaultlineError('FL_ERR_STORE_FAILED', `writing events: Elasticsearch answered ${results.length} items for ${pending.length}`);
    }
    const retry: number[] = [];
    let why = '';
    pending.forEach((item, k) => {
      const result = Object.values(results[k] ?? {})[0] ?? { status: 0 };
      const { status } = result;
      const position = positions[item] as number;
      if (status === 200 || status === 201) {
        outcomes[position] = STORED;
      } else if (status === 409) {
        outcomes[position] = DUPLICATE;
      } else if (status === 429 || status >= 500) {
        retry.push(item);
        why = `${status} ${bodyReason({ error: result.error }) ?? ''}`.trim();
      } else if (status === 401 || status === 403) {
        throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', `writing events: Elasticsearch refused the write (${status} ${bodyReason({ error: result.error }) ?? ''})`, {
          backend: 'elasticsearch',
        });
      } else {
        const reason = `Elasticsearch rejected the event: ${bodyReason({ error: result.error }) ?? `status ${status}`}`;
        // A valid event's document: its own id.
        const event = chunk.sourceOf(item);
        const id = idOf(event);
        outcomes[position] = { id, status: 'rejected', reason };
        letters.push({ id, doc: { reason, at: new Date().toISOString(), event } });
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
