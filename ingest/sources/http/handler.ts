/**
 * The HTTP ingest handler, a plain `(Request) => Promise<Response>` the API mounts on
 * `POST /api/ingest?pipeline=ID`. The body is streamed, never held whole:
 * - NDJSON (`application/x-ndjson`, or JSON not starting with `[`): one ECS event per line;
 * - a JSON array (`application/json` starting with `[`): its elements, via stream-json;
 * - `text/plain`: raw lines through `?pipeline` (required).
 * Event ids: the sender's `event.id`, else `contentEventId(event)` (identical events count as one).
 * Raw lines get `contentEventId({body, line, pipeline})` where `body` is the SHA-256 of the body
 * up to and including the line: a client retrying the same body gets the same ids (no duplicates),
 * two identical lines in one body differ by position (both kept), and a retry of a longer body
 * that begins with the same lines deduplicates those lines.
 * It answers `{accepted, rejected: [{index, reason}]}` only once the store or the spool holds
 * every accepted event; `index` is the 0-based line (or array element) in the body. Once delivery
 * is shutting down it answers 503 at once (the sender retries the same body after the restart).
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { FaultlineError, describeError, isFaultlineError } from '../../../core/errors.ts';
import { contentEventId } from '../../../core/event/id.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../../../core/event/types.ts';
import type { Parse, ParseResolver, RawRecord } from '../../contract.ts';
import type { DeliveryInput, Outcome } from '../../delivery/input.ts';
import { LineSplitter } from '../file/lines.ts';

export interface HttpIngestOptions {
  input: DeliveryInput;
  /** Resolves `?pipeline`; throws a FaultlineError (listing valid ids) for an unknown one. */
  resolveParse: ParseResolver;
  /** Larger bodies are refused with 413. */
  maxBodyBytes?: number;
  /** Longest wait for the store or spool to take the events before answering 503. */
  timeoutMs?: number;
  maxLineBytes?: number;
}

interface Tally {
  accepted: number;
  rejected: { index: number; reason: string }[];
  pending: number;
  settled: () => void;
}

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

/** Events as sent are stored as they are, with their id enforced. */
const asSent: Parse = (record) => ({ ...(record.object ?? { message: record.text ?? '' }) });

/**
 * The parse of the HTTP input's delivery handle: the handler already ran each request's pipeline,
 * so delivery takes the result as it is. Create the input with it:
 * `delivery.input('http', 'http', httpInputParse)`.
 */
export const httpInputParse: Parse = asSent;

export function createIngestHandler(options: HttpIngestOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return await handle(request, options);
    } catch (error) {
      const failure = isFaultlineError(error) ? error : new FaultlineError('FL_ERR_EVENT_INVALID', `the body could not be read: ${describeError(error)}`);
      return Response.json(failure.toJSON(), { status: failure.status });
    }
  };
}

async function handle(request: Request, options: HttpIngestOptions): Promise<Response> {
  const url = new URL(request.url);
  const pipelineId = url.searchParams.get('pipeline') ?? undefined;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const raw = type === 'text/plain';
  if (raw && !pipelineId) throw new FaultlineError('FL_ERR_USAGE', 'text/plain bodies are raw lines: name the pipeline that parses them with ?pipeline=ID');
  const parse = pipelineId ? options.resolveParse(pipelineId) : asSent;
  const declared = Number(request.headers.get('content-length') ?? '0');
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  if (declared > maxBody) return tooLarge(maxBody);
  if (!request.body) return Response.json({ accepted: 0, rejected: [] });

  let resolveSettled: () => void = () => {};
  const settled = new Promise<void>((resolve) => (resolveSettled = resolve));
  const tally: Tally = { accepted: 0, rejected: [], pending: 1, settled: resolveSettled };
  const body = limited(Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), maxBody);
  const submit = submitter(options.input, parse, tally);
  try {
    if (raw) await readRawLines(body, pipelineId ?? '', submit, options);
    else await readEvents(body, type, submit, tally, options);
  } catch (error) {
    if (error instanceof BodyTooLarge) return tooLarge(maxBody);
    throw error;
  }
  done(tally);
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), options.timeoutMs ?? 30_000).unref());
  if ((await Promise.race([settled, timeout])) === 'timeout') {
    const error = new FaultlineError('FL_ERR_STORE_UNAVAILABLE', 'neither the store nor the spool took the events in time; retry the same body (it is idempotent)', {
      accepted: tally.accepted,
      waiting: tally.pending,
    });
    return Response.json(error.toJSON(), { status: error.status });
  }
  tally.rejected.sort((a, b) => a.index - b.index);
  return Response.json({ accepted: tally.accepted, rejected: tally.rejected });
}

type Submit = (index: number, record: RawRecord, size: number) => Promise<void>;

function submitter(input: DeliveryInput, parse: Parse, tally: Tally): Submit {
  return async (index, record, size) => {
    if (input.full) await input.ready();
    if (input.closing) throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', 'Faultline is shutting down; send the same body again once it is back (it is idempotent)');
    // Each request names its pipeline, so it runs here; the input's own parse passes the result on.
    let parsed: JsonObject | null;
    try {
      parsed = parse(record);
    } catch (error) {
      input.metrics.error('processing', describeError(error));
      parsed = { ...(record.object ?? { message: record.text ?? '' }), tags: ['_pipeline_error'], error: { message: describeError(error) } };
    }
    if (parsed === null) {
      input.metrics.count('received');
      input.drop('pipeline');
      tally.accepted++;
      return;
    }
    tally.pending++;
    const ack = (outcome: Outcome) => {
      if (outcome.status === 'rejected') tally.rejected.push({ index, reason: outcome.reason });
      else tally.accepted++;
      done(tally);
    };
    input.submit({ ...record, text: undefined, object: parsed }, ack, size);
  };
}

function done(tally: Tally): void {
  tally.pending--;
  if (tally.pending === 0) tally.settled();
}

async function readEvents(body: Readable, type: string, submit: Submit, tally: Tally, options: HttpIngestOptions): Promise<void> {
  const [first, stream] = await peekFirstByte(body);
  if (first === '[' && type !== 'application/x-ndjson') {
    const items = pipeline(stream, streamArray.withParserAsStream(), () => {});
    for await (const item of items as AsyncIterable<{ key: number; value: JsonValue }>) {
      await submitEvent(item.key, item.value, JSON.stringify(item.value).length, submit, tally);
    }
    return;
  }
  await forEachLine(stream, options.maxLineBytes, async (index, text, truncated) => {
    if (text.trim() === '') return;
    if (truncated) {
      tally.rejected.push({ index, reason: `the line is longer than ${options.maxLineBytes ?? DEFAULT_MAX_BODY} bytes` });
      return;
    }
    let value: JsonValue;
    try {
      value = JSON.parse(text) as JsonValue;
    } catch (error) {
      tally.rejected.push({ index, reason: `not JSON: ${describeError(error)}` });
      return;
    }
    await submitEvent(index, value, text.length, submit, tally);
  });
}

async function submitEvent(index: number, value: JsonValue, size: number, submit: Submit, tally: Tally): Promise<void> {
  if (!isPlainObject(value)) {
    tally.rejected.push({ index, reason: 'an event must be a JSON object' });
    return;
  }
  const section = value['event'];
  const own = isPlainObject(section) ? section['id'] : undefined;
  const id = typeof own === 'string' && own !== '' ? own : contentEventId(value);
  await submit(index, { id, text: undefined, object: value, context: {}, receivedAt: Date.now() }, size);
}

async function readRawLines(body: Readable, pipelineId: string, submit: Submit, options: HttpIngestOptions): Promise<void> {
  const digest: Hash = createHash('sha256');
  await forEachLine(
    body,
    options.maxLineBytes,
    async (index, text, truncated) => {
      if (text === '') return;
      const id = contentEventId({ body: digest.copy().digest('hex'), line: index, pipeline: pipelineId });
      const record: RawRecord = { id, text, object: undefined, context: { network: { protocol: 'http' } }, receivedAt: Date.now() };
      if (truncated) record.tags = ['_truncated'];
      await submit(index, record, text.length);
    },
    (bytes) => digest.update(bytes),
  );
}

/** Calls `each` per line (0-based index); `seen` gets the body's bytes up to and including each line before it. */
async function forEachLine(
  body: Readable,
  maxLineBytes: number | undefined,
  each: (index: number, text: string, truncated: boolean) => Promise<void>,
  seen: (bytes: Buffer) => void = () => {},
): Promise<void> {
  const splitter = new LineSplitter(0, maxLineBytes ?? 1024 * 1024);
  let index = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    let from = 0;
    for (const line of splitter.push(chunk)) {
      const lineEndInChunk = chunk.length - (splitter.position - line.end);
      seen(chunk.subarray(from, lineEndInChunk));
      from = lineEndInChunk;
      await each(index++, line.text, line.truncated);
    }
    seen(chunk.subarray(from));
  }
  const last = splitter.flushPartial();
  if (last) await each(index, last.text, last.truncated);
}

class BodyTooLarge extends Error {}

function limited(body: Readable, maxBytes: number): Readable {
  let total = 0;
  return Readable.from(
    (async function* () {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) throw new BodyTooLarge();
        yield chunk;
      }
    })(),
  );
}

async function peekFirstByte(body: Readable): Promise<[string, Readable]> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const buffered: Buffer[] = [];
  let first = '';
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    buffered.push(next.value);
    const text = next.value.toString('utf8').trimStart();
    if (text !== '') {
      first = text[0] ?? '';
      break;
    }
  }
  const rest = Readable.from(
    (async function* () {
      yield* buffered;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  );
  return [first, rest];
}

function tooLarge(maxBytes: number): Response {
  return Response.json({ error: { code: 'FL_ERR_EVENT_INVALID', message: `the body is larger than ${maxBytes} bytes; send it in smaller parts` } }, { status: 413 });
}
