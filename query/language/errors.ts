/** Errors of the query language: a message, the position (0-based offset), and a caret line under it. */
import { FaultlineError } from '../../core/errors.ts';

/** The query with a caret under `position`, the way a terminal or the UI shows it. */
export function caretLines(query: string, position: number): string {
  const line = query.replace(/[\r\n\t]/g, ' ');
  return `${line}\n${' '.repeat(Math.min(position, line.length))}^`;
}

export function syntaxError(query: string, position: number, message: string): FaultlineError {
  return new FaultlineError('FL_ERR_QUERY_SYNTAX', `query syntax error at position ${position}: ${message}`, {
    position,
    query,
    caret: caretLines(query, position),
  });
}

/** A query that parses but cannot run: unknown operation on a field type, a value of the wrong type, a limit. */
export function queryError(query: string, position: number, message: string): FaultlineError {
  return new FaultlineError('FL_ERR_QUERY_INVALID', `invalid query at position ${position}: ${message}`, {
    position,
    query,
    caret: caretLines(query, position),
  });
}
