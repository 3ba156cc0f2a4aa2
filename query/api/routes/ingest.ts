/** Ingest over HTTP and what ingest reports: `POST /api/ingest`, `GET /api/inputs`, `GET /metrics`. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { JsonObject } from '../../../core/event/types.ts';
import type { IngestRuntime } from '../../../ingest/runtime.ts';

const ingestRoute = createRoute({
  method: 'post',
  path: '/api/ingest',
  summary: 'Ingest events or raw lines',
  description:
    'Body: NDJSON or a JSON array of ECS events (`application/x-ndjson`, `application/json`), or raw lines (`text/plain`) parsed by `?pipeline=`. ' +
    "An event's `event.id` is kept when given, else derived from its content, so resending a body that got no answer stores nothing twice. " +
    'The answer comes only once the store or the durable spool holds the events.',
  request: { query: z.object({ pipeline: z.string().max(200).optional().openapi({ description: 'Pipeline for raw lines (and events), e.g. syslog.' }) }) },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ accepted: z.number().int(), rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })) }) } },
      description: 'How many events were accepted, and why the others were not.',
    },
  },
});

const inputsRoute = createRoute({
  method: 'get',
  path: '/api/inputs',
  summary: 'What is being ingested: per input counts, rates, lag, errors; delivery queue and spool',
  responses: {
    200: {
      content: { 'application/json': { schema: z.custom<JsonObject>((value) => typeof value === 'object' && value !== null).openapi({ type: 'object' }) } },
      description: 'Input and delivery status.',
    },
  },
});

export function ingestRoutes(app: OpenAPIHono, ingest: IngestRuntime): void {
  // The handler reads the body as a stream itself (NDJSON, arrays and lines of any size), so it takes the
  // raw request; the route is only documented here.
  app.openAPIRegistry.registerPath(ingestRoute);
  app.post('/api/ingest', (c) => ingest.handleHttp(c.req.raw));
  app.openapi(inputsRoute, (c) => c.json(ingest.metrics.snapshot(), 200));
  app.get('/metrics', async (c) => c.body(await ingest.metrics.text(), 200, { 'content-type': ingest.metrics.contentType }));
}
