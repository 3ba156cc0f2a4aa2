/**
 * The catalogue of Faultline's error codes. Every error the project raises on purpose has a code
 * here, an HTTP status for the API, and a message built from the details that say what was wrong,
 * where, and what is accepted.
 */
export const errorCodes = {
  FL_ERR_CONFIG_INVALID: { status: 400, exitCode: 2, summary: 'invalid configuration' },
  FL_ERR_CONFIG_UNREADABLE: { status: 400, exitCode: 2, summary: 'configuration file cannot be read' },
  FL_ERR_PIPELINE_INVALID: { status: 400, exitCode: 2, summary: 'invalid pipeline definition' },
  FL_ERR_EVENT_INVALID: { status: 400, exitCode: 1, summary: 'invalid event' },
  FL_ERR_QUERY_INVALID: { status: 400, exitCode: 2, summary: 'invalid query' },
  FL_ERR_QUERY_SYNTAX: { status: 400, exitCode: 2, summary: 'query syntax error' },
  FL_ERR_TIME_INVALID: { status: 400, exitCode: 2, summary: 'invalid time expression' },
  FL_ERR_CURSOR_INVALID: { status: 400, exitCode: 2, summary: 'invalid cursor' },
  FL_ERR_NOT_FOUND: { status: 404, exitCode: 1, summary: 'not found' },
  FL_ERR_STORE_UNAVAILABLE: { status: 503, exitCode: 1, summary: 'store unavailable' },
  FL_ERR_STORE_FAILED: { status: 500, exitCode: 1, summary: 'store operation failed' },
  FL_ERR_USAGE: { status: 400, exitCode: 2, summary: 'invalid command line' },
  FL_ERR_UNAUTHORIZED: { status: 401, exitCode: 1, summary: 'authentication required' },
  FL_ERR_SERVER_START: { status: 500, exitCode: 1, summary: 'the server cannot start' },
  FL_ERR_INTERNAL: { status: 500, exitCode: 1, summary: 'internal error' },
} as const satisfies Record<string, { status: number; exitCode: number; summary: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** An error the project raises on purpose: a code from the catalogue, a message, and details. */
export class FaultlineError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FaultlineError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  get exitCode(): number {
    return errorCodes[this.code].exitCode;
  }

  /** The API's error body: `{"error": {"code", "message", ...details}}`. */
  toJSON(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export function isFaultlineError(error: unknown): error is FaultlineError {
  return error instanceof FaultlineError;
}

/** The message of anything thrown, without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
