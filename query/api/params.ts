/**
 * Query-string parameters the read routes share, as zod schemas (they validate requests and make
 * the OpenAPI document), and their resolution into a parsed query and a time range.
 */
import { z } from '@hono/zod-openapi';
import { FaultlineError } from '../../core/errors.ts';
import type { TimeRange } from '../../store/contract.ts';
import type { QueryNode } from '../../store/query.ts';
import { parseQuery } from '../language/parse.ts';
import { parseTime } from '../language/time.ts';
import type { FieldTypes } from './field-types.ts';

export const DEFAULT_FROM = 'now-15m';
export const MAX_PAGE = 10_000;

export const queryParam = z.string().max(10_000).optional().openapi({ description: 'Query text (docs/query-language.md); empty matches everything.', example: 'log.level:error and not host.name:web-*' });
export const fromParam = z.string().optional().openapi({ description: `Start of the range, inclusive: ISO 8601, epoch ms, or now-15m. Default ${DEFAULT_FROM}.`, example: 'now-1h' });
export const toParam = z.string().optional().openapi({ description: 'End of the range, exclusive. Default now.', example: 'now' });

export const rangeQuery = z.object({ q: queryParam, from: fromParam, to: toParam });

/** An integer parameter with bounds, from its string form. */
export function intParam(name: string, min: number, max: number, fallback: number, description: string) {
  return z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `${name} must be a whole number from ${min} to ${max}`)
    .optional()
    .transform((value) => value ?? fallback)
    .openapi({ type: 'integer', minimum: min, maximum: max, default: fallback, description });
}

export interface Resolved {
  query: QueryNode;
  range: TimeRange;
}

/** Parses `q`, `from` and `to`; errors are 400s with the position. */
export async function resolveRange(params: { q?: string | undefined; from?: string | undefined; to?: string | undefined }, fieldTypes: FieldTypes): Promise<Resolved> {
  const now = Date.now();
  const from = parseTime(params.from ?? DEFAULT_FROM, now, { parameter: 'from' });
  const to = parseTime(params.to ?? 'now', now, { parameter: 'to' });
  if (from >= to) {
    throw new FaultlineError('FL_ERR_TIME_INVALID', `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`, { parameter: 'from' });
  }
  const query = parseQuery(params.q ?? '', { fieldType: await fieldTypes.lookup(), now });
  return { query, range: { from, to } };
}
