/** The one HTTP error mapper: FaultlineErrors become their status and `{"error": ...}` body; anything else a 500 without a stack. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isFaultlineError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';

export function errorResponse(error: unknown, context: Context, logger: Logger): Response {
  if (isFaultlineError(error)) {
    return context.json(error.toJSON(), error.status as ContentfulStatusCode);
  }
  // Hono's own middleware (bearer auth) answers through HTTPException with a ready response.
  if (error instanceof HTTPException) return error.getResponse();
  logger.error('request failed', { path: context.req.path, reason: error instanceof Error ? error.message : String(error) });
  return context.json({ error: { code: 'FL_ERR_INTERNAL', message: 'internal error; the server log has the details' } }, 500);
}
