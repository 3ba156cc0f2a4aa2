/** The read routes over stored events: search, histogram, fields, top values, one event, its context. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { FaultlineError } from '../../../core/errors.ts';
import type { FaultlineEvent } from '../../../core/event/types.ts';
import { getField, setField } from '../../../core/event/types.ts';
import { eventContext } from '../../../store/context.ts';
import type { Store } from '../../../store/contract.ts';
import type { FieldTypes } from '../field-types.ts';
import { chooseInterval } from '../interval.ts';
import { intParam, MAX_PAGE, rangeQuery, resolveRange } from '../params.ts';

/** Events are validated where they enter; here the schema only documents them. */
const eventSchema = z
  .custom<FaultlineEvent>((value) => typeof value === 'object' && value !== null)
  .openapi('Event', { type: 'object', description: 'An ECS event (docs/events.md).', additionalProperties: true });
const totalSchema = z.object({ value: z.number().int(), relation: z.enum(['eq', 'gte']) });
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }).passthrough() }).openapi('Error');
const errors = {
  400: { content: { 'application/json': { schema: errorSchema } }, description: 'Bad input: the message says what and where.' },
  401: { content: { 'application/json': { schema: errorSchema } }, description: 'Missing or wrong bearer token.' },
  503: { content: { 'application/json': { schema: errorSchema } }, description: 'The store is unavailable.' },
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({ 200: { content: { 'application/json': { schema } }, description }, ...errors });

const searchRoute = createRoute({
  method: 'get',
  path: '/api/search',
  summary: 'Search events',
  request: {
    query: rangeQuery.extend({
      size: intParam('size', 1, MAX_PAGE, 100, 'Events per page.'),
      cursor: z.string().max(1000).optional().openapi({ description: 'The cursor of the previous page.' }),
      sort: z.enum(['desc', 'asc']).optional().openapi({ description: 'Newest first (desc, default) or oldest first.' }),
      fields: z.string().max(4000).optional().openapi({ description: 'Comma-separated fields to return (default: whole events).', example: '@timestamp,host.name,message' }),
    }),
  },
  responses: json(z.object({ total: totalSchema, events: z.array(eventSchema), cursor: z.string().nullable() }), 'A page of events and the cursor of the next.'),
});

const histogramRoute = createRoute({
  method: 'get',
  path: '/api/histogram',
  summary: 'Count events over time',
  request: { query: rangeQuery.extend({ buckets: intParam('buckets', 1, 1000, 60, 'About how many buckets (the interval is the nearest nice width).') }) },
  responses: json(z.object({ interval_ms: z.number().int(), buckets: z.array(z.object({ ts: z.number().int(), count: z.number().int() })) }), 'Buckets, oldest first.'),
});

const fieldsRoute = createRoute({
  method: 'get',
  path: '/api/fields',
  summary: 'Fields that hold values, with their types',
  responses: json(z.object({ fields: z.array(z.object({ name: z.string(), type: z.string() })) }), 'Fields by name.'),
});

const valuesRoute = createRoute({
  method: 'get',
  path: '/api/fields/{name}/values',
  summary: 'Top values of a field',
  request: {
    params: z.object({ name: z.string().max(300) }),
    query: rangeQuery.extend({ size: intParam('size', 1, 1000, 10, 'How many values.') }),
  },
  responses: json(z.object({ field: z.string(), values: z.array(z.object({ value: z.union([z.string(), z.number(), z.boolean()]), count: z.number().int() })) }), 'Most frequent first.'),
});

const eventRoute = createRoute({
  method: 'get',
  path: '/api/events/{id}',
  summary: 'One event by id',
  request: { params: z.object({ id: z.string().max(512) }) },
  responses: { ...json(eventSchema, 'The event.'), 404: { content: { 'application/json': { schema: errorSchema } }, description: 'No such event.' } },
});

const contextRoute = createRoute({
  method: 'get',
  path: '/api/events/{id}/context',
  summary: 'Events around one event, from the same source',
  request: {
    params: z.object({ id: z.string().max(512) }),
    query: z.object({ before: intParam('before', 0, 500, 10, 'Events before.'), after: intParam('after', 0, 500, 10, 'Events after.') }),
  },
  responses: {
    ...json(
      z.object({ event: eventSchema, before: z.array(eventSchema), after: z.array(eventSchema), source: z.object({ field: z.string(), value: z.string() }).nullable() }),
      'The event and its neighbours, oldest first.',
    ),
    404: { content: { 'application/json': { schema: errorSchema } }, description: 'No such event.' },
  },
});

/** Keeps only the chosen fields of an event. */
function project(event: FaultlineEvent, fields: string[] | undefined): FaultlineEvent {
  if (!fields) return event;
  const out = {} as FaultlineEvent;
  for (const field of fields) {
    const value = getField(event, field);
    if (value !== undefined) setField(out, field, value);
  }
  return out;
}

export function searchRoutes(app: OpenAPIHono, store: Store, fieldTypes: FieldTypes): void {
  app.openapi(searchRoute, async (c) => {
    const params = c.req.valid('query');
    const { query, range } = await resolveRange(params, fieldTypes);
    const result = await store.search({ query, range, size: params.size, sort: params.sort ?? 'desc', cursor: params.cursor ?? null });
    const fields = params.fields?.split(',').map((field) => field.trim()).filter((field) => field !== '');
    return c.json({ total: result.total, events: result.events.map((event) => project(event, fields)), cursor: result.cursor }, 200);
  });

  app.openapi(histogramRoute, async (c) => {
    const params = c.req.valid('query');
    const { query, range } = await resolveRange(params, fieldTypes);
    const result = await store.histogram({ query, range, intervalMs: chooseInterval(range.to - range.from, params.buckets) });
    return c.json({ interval_ms: result.intervalMs, buckets: result.buckets }, 200);
  });

  app.openapi(fieldsRoute, async (c) => c.json({ fields: await store.fields() }, 200));

  app.openapi(valuesRoute, async (c) => {
    const { name } = c.req.valid('param');
    const params = c.req.valid('query');
    const { query, range } = await resolveRange(params, fieldTypes);
    return c.json({ field: name, values: await store.topValues({ field: name, query, range, size: params.size }) }, 200);
  });

  app.openapi(eventRoute, async (c) => {
    const { id } = c.req.valid('param');
    const event = await store.getEvent(id);
    if (!event) throw new FaultlineError('FL_ERR_NOT_FOUND', `no event with id '${id}'`, { id });
    return c.json(event, 200);
  });

  app.openapi(contextRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { before, after } = c.req.valid('query');
    return c.json(await eventContext(store, id, { before, after }), 200);
  });
}
