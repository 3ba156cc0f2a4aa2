/**
 * What went wrong talking to Elasticsearch, in one line and as a FaultlineError: the client's
 * errors carry request metadata and multi-line causes that must not reach logs or API answers.
 */
import { errors } from '@elastic/elasticsearch';
import { describeError, FaultlineError, isFaultlineError, type ErrorCode } from '../../core/errors.ts';

export type FailureKind = 'unreachable' | 'auth' | 'overloaded' | 'request' | 'other';

export interface Failure {
  kind: FailureKind;
  /** One line, no stack: what Elasticsearch or the network said. */
  reason: string;
  status?: number;
}

interface ErrorBody {
  error?: { type?: string; reason?: string; root_cause?: { type?: string; reason?: string }[]; caused_by?: { type?: string; reason?: string } };
}

/** The `type: reason` that Elasticsearch put in an error body, most specific cause first. */
export function bodyReason(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body !== '' ? body.slice(0, 300) : undefined;
  const error = (body as ErrorBody).error;
  if (typeof error === 'string') return error;
  if (!error) return undefined;
  const cause = error.root_cause?.[0] ?? error.caused_by ?? error;
  if (cause.reason === undefined) return cause.type;
  return cause.type ? `${cause.type}: ${cause.reason}` : cause.reason;
}

export function classify(error: unknown): Failure {
  if (error instanceof errors.ResponseError) {
    const status = error.meta.statusCode ?? 0;
    const reason = `${status} ${bodyReason(error.meta.body) ?? 'no details'}`;
    if (status === 401 || status === 403) return { kind: 'auth', status, reason };
    if (status === 429 || status >= 500) return { kind: 'overloaded', status, reason };
    return { kind: 'request', status, reason };
  }
  if (error instanceof errors.TimeoutError) return { kind: 'unreachable', reason: 'request timed out' };
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError) {
    return { kind: 'unreachable', reason: firstLine(causeMessage(error)) };
  }
  if (error instanceof errors.ProductNotSupportedError) {
    return { kind: 'other', reason: 'the server at that URL is not Elasticsearch' };
  }
  return { kind: 'other', reason: firstLine(describeError(error)) };
}

/** The transport wraps network errors; the innermost message names the real cause (ECONNREFUSED...). */
function causeMessage(error: Error): string {
  let current: unknown = error;
  let message = error.message;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.message) message = current.message;
    current = current.cause;
  }
  return message || error.message;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).slice(0, 300);
}

/** Auth failures say what to check, since the raw 401 text does not. */
export function describeFailure(failure: Failure): string {
  if (failure.kind === 'auth' && failure.status === 401) {
    return `Elasticsearch refused the credentials (${failure.reason}); check api_key, username/password or the user:password in the URL`;
  }
  if (failure.kind === 'auth') return `the Elasticsearch user lacks a privilege (${failure.reason})`;
  if (failure.kind === 'unreachable') return `Elasticsearch is unreachable (${failure.reason})`;
  if (failure.kind === 'overloaded') return `Elasticsearch is overloaded or failing (${failure.reason})`;
  if (failure.kind === 'request') return `Elasticsearch refused the request (${failure.reason})`;
  return `unexpected error (${failure.reason})`;
}

/**
 * A FaultlineError for a failed operation: unavailable for network, auth and overload failures
 * (callers may retry or spool), invalid query for a 400 on a read, failed for the rest.
 */
export function toFaultlineError(error: unknown, operation: string, badRequest: ErrorCode = 'FL_ERR_STORE_FAILED'): FaultlineError {
  if (isFaultlineError(error)) return error;
  const failure = classify(error);
  const code: ErrorCode =
    failure.kind === 'request' && failure.status === 400
      ? badRequest
      : failure.kind === 'unreachable' || failure.kind === 'auth' || failure.kind === 'overloaded'
        ? 'FL_ERR_STORE_UNAVAILABLE'
        : 'FL_ERR_STORE_FAILED';
  return new FaultlineError(code, `${operation} failed: ${describeFailure(failure)}`, { backend: 'elasticsearch' }, { cause: error });
}
