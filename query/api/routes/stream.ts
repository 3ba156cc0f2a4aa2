/** Streaming routes: `/api/export` (NDJSON or CSV, constant memory) and `/api/tail` (Server-Sent Events). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Logger } from '../../../core/log.ts';
import type { FaultlineEvent } from '../../../core/event/types.ts';
import type { Store } from '../../../store/contract.ts';
import { matchesQuery } from '../../../store/match.ts';
import { scan, scanText } from '../../../store/scan.ts';
import { knownField } from '../../../core/event/fields.ts';
import { csvEventRow, csvRow } from '../../export/csv.ts';
import { parseQuery } from '../../language/parse.ts';
import type { LiveFeed } from '../../tail/feed.ts';
import type { FieldTypes } from '../field-types.ts';
import { rangeQuery, resolveRange } from '../params.ts';

export const DEFAULT_CSV_COLUMNS = ['@timestamp', 'host.name', 'log.level', 'message'];
/** Bytes gathered before a write to the socket: fewer, larger writes. */
const CHUNK_BYTES = 64 * 1024;
/** Events a slow tail client may fall behind by before the oldest are dropped. */
export const TAIL_BUFFER = 1000;
export const HEARTBEAT_MS = 15_000;

const exportRoute = createRoute({
  method: 'get',
  path: '/api/export',
  summary: 'Export matching events, oldest first, streamed',
  request: {
    query: rangeQuery.extend({
      format: z.enum(['ndjson', 'csv']).optional().openapi({ description: 'ndjson (default) or csv.' }),
      fields: z.string().max(4000).optional().openapi({ description: `CSV columns, comma-separated (default ${DEFAULT_CSV_COLUMNS.join(',')}).` }),
    }),
  },
  responses: {
    200: {
      content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } },
      description: 'One event per line (NDJSON) or a CSV with a header row; cells that a spreadsheet would run as formulas are neutralized.',
    },
  },
});

const tailRoute = createRoute({
  method: 'get',
  path: '/api/tail',
  summary: 'Follow new matching events (Server-Sent Events)',
  request: { query: z.object({ q: rangeQuery.shape.q }) },
  responses: {
    200: {
      content: { 'text/event-stream': { schema: z.string() } },
      description: `\`event: events\` with a JSON array of new matching events; \`event: dropped\` with a count when the client fell more than ${TAIL_BUFFER} events behind; a comment line every ${HEARTBEAT_MS / 1000} s.`,
    },
  },
});

export function streamRoutes(app: OpenAPIHono, store: Store, fieldTypes: FieldTypes, feed: LiveFeed, logger: Logger): void {
  app.openapi(exportRoute, async (c) => {
    const params = c.req.valid('query');
    const { query, range } = await resolveRange(params, fieldTypes);
    const format = params.format ?? 'ndjson';
    const columns = params.fields?.split(',').map((field) => field.trim()).filter((field) => field !== '') ?? DEFAULT_CSV_COLUMNS;
    c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    c.header('content-disposition', `attachment; filename="faultline-export-${new Date(range.from).toISOString().replaceAll(':', '')}.${format}"`);
    const options = { query, range, pageSize: 250 };
    const lines: AsyncGenerator<string> =
      format === 'csv' ? map(scan(store, options), (event) => csvEventRow(event, columns)) : map(scanText(store, options), (text) => `${text}\n`);
    const encoder = new TextEncoder();
    let header = format === 'csv' ? csvRow(columns) : '';
    // Pulled: a chunk is made only when the socket has taken the one before, so however large the
    // export, the server holds about one chunk of it.
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          let chunk = header;
          header = '';
          try {
            while (chunk.length < CHUNK_BYTES) {
              const next = await lines.next();
              if (next.done) {
                if (chunk !== '') controller.enqueue(encoder.encode(chunk));
                controller.close();
                return;
              }
              chunk += next.value;
            }
            controller.enqueue(encoder.encode(chunk));
          } catch (error) {
            // The status line is gone; end the stream short and say why in the server log.
            logger.error('export stopped early', { reason: error instanceof Error ? error.message : String(error) });
            controller.error(error);
          }
        },
        async cancel() {
          await lines.return(undefined);
        },
      },
      { highWaterMark: 0 },
    );
    return c.body(body);
  });

  app.openapi(tailRoute, async (c) => {
    const { q } = c.req.valid('query');
    const types = await fieldTypes.lookup();
    const query = parseQuery(q ?? '', { fieldType: types });
    const typeOf = (field: string) => knownField(field)?.type ?? types(field) ?? 'keyword';
    return streamSSE(c, async (out) => {
      let buffer: FaultlineEvent[] = [];
      let dropped = 0;
      let wake: (() => void) | undefined;
      const unsubscribe = feed.subscribe((events) => {
        const before = buffer.length;
        for (const event of events) if (matchesQuery(event, query, typeOf)) buffer.push(event);
        if (buffer.length === before) return;
        if (buffer.length > TAIL_BUFFER) {
          dropped += buffer.length - TAIL_BUFFER;
          buffer = buffer.slice(-TAIL_BUFFER);
        }
        wake?.();
      });
      out.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        await out.writeSSE({ event: 'ready', data: '{}' });
        while (!out.aborted) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, HEARTBEAT_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          if (out.aborted) break;
          if (dropped > 0) {
            await out.writeSSE({ event: 'dropped', data: JSON.stringify({ count: dropped }) });
            dropped = 0;
          }
          if (buffer.length > 0) {
            const events = buffer;
            buffer = [];
            await out.writeSSE({ event: 'events', data: JSON.stringify(events) });
          } else {
            await out.write(': heartbeat\n\n');
          }
        }
      } finally {
        unsubscribe();
      }
    });
  });
}

async function* map<T, U>(items: AsyncGenerator<T>, transform: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield transform(item);
}
