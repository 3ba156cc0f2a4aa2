/**
 * The pipeline routes: `GET /api/pipelines` lists the loaded pipelines (built-ins and the user's),
 * `POST /api/pipelines/{id}/simulate` runs sample lines or events through one and answers each
 * result with its per-processor trace (what each processor added, changed and removed, and its
 * time), for the UI's pipeline page. Nothing is stored.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { JsonObject } from '../../../core/event/types.ts';
import { isBuiltin, simulate, type PipelineInput, type PipelineSet } from '../../../pipelines/index.ts';

/** At most this many inputs per simulation, each at most this long: a simulation copies the event before every processor. */
export const MAX_SIMULATE_INPUTS = 1000;
export const MAX_SIMULATE_LINE = 65_536;

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }).passthrough() }).openapi('Error');
const errors = {
  400: { content: { 'application/json': { schema: errorSchema } }, description: 'Bad input: the message says what and where.' },
  401: { content: { 'application/json': { schema: errorSchema } }, description: 'Missing or wrong bearer token.' },
};
const objectSchema = z
  .custom<JsonObject>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected a JSON object')
  .openapi({ type: 'object', additionalProperties: true });

const pipelineSummary = z.object({
  id: z.string(),
  description: z.string().nullable(),
  file: z.string().openapi({ description: 'The file it was loaded from.' }),
  builtin: z.boolean().openapi({ description: 'A built-in pipeline (not replaced by a user file).' }),
  processors: z.number().int().openapi({ description: 'Top-level processors.' }),
});

const traceEntry = z
  .object({
    pipeline: z.string(),
    processor: z.string(),
    tag: z.string().optional(),
    path: z.string().openapi({ description: 'Key path in the pipeline file, e.g. processors[2].grok.' }),
    depth: z.number().int(),
    status: z.enum(['ok', 'failed', 'ignored_failure', 'dropped', 'skipped']),
    error: z.string().optional(),
    added: z.record(z.string(), z.unknown()).optional(),
    changed: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).optional(),
    removed: z.array(z.string()).optional(),
    time_us: z.number().optional(),
  })
  .openapi('TraceEntry');

const listRoute = createRoute({
  method: 'get',
  path: '/api/pipelines',
  summary: 'Loaded pipelines',
  responses: { 200: { content: { 'application/json': { schema: z.object({ pipelines: z.array(pipelineSummary) }) } }, description: 'Pipelines by id.' }, ...errors },
});

const simulateRoute = createRoute({
  method: 'post',
  path: '/api/pipelines/{id}/simulate',
  summary: 'Run sample input through a pipeline, with a per-processor trace',
  request: {
    params: z.object({ id: z.string().max(200) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              lines: z.array(z.string().max(MAX_SIMULATE_LINE)).min(1).max(MAX_SIMULATE_INPUTS).optional().openapi({ description: 'Raw lines, as a file or syslog source delivers them.' }),
              events: z.array(objectSchema).min(1).max(MAX_SIMULATE_INPUTS).optional().openapi({ description: 'JSON objects, as the HTTP input receives them.' }),
              context: objectSchema.optional().openapi({ description: 'Fields a source would add, e.g. {"event": {"timezone": "Europe/Paris"}}.' }),
            })
            .strict()
            .refine((body) => (body.lines === undefined) !== (body.events === undefined), 'give exactly one of lines and events'),
        },
      },
    },
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ results: z.array(z.object({ event: objectSchema.nullable(), trace: z.array(traceEntry), error: z.string().nullable() })) }),
        },
      },
      description: 'One result per input, in order: the event (null when dropped), the trace, and the failure that stopped the pipeline (or null).',
    },
    ...errors,
    404: { content: { 'application/json': { schema: errorSchema } }, description: 'No pipeline with that id; the message lists the valid ones.' },
  },
});

/** Mounts the pipeline routes; `pipelines` is the loaded set (pipelines/index.ts, loadConfiguredPipelines). */
export function pipelineRoutes(app: OpenAPIHono, pipelines: PipelineSet): void {
  app.openapi(listRoute, (c) =>
    c.json(
      {
        pipelines: pipelines.list().map((pipeline) => ({
          id: pipeline.id,
          description: pipeline.description ?? null,
          file: pipeline.file,
          builtin: isBuiltin(pipeline),
          processors: pipeline.steps.length,
        })),
      },
      200,
    ),
  );

  app.openapi(simulateRoute, (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const pipeline = pipelines.get(id);
    const inputs: PipelineInput[] = body.lines ?? body.events ?? [];
    return c.json({ results: simulate(pipeline, inputs, body.context) }, 200);
  });
}
