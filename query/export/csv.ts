/**
 * CSV that is safe to open in a spreadsheet: RFC 4180 quoting, and cells that a spreadsheet would
 * run as a formula (starting with = + - @, tab or carriage return) prefixed with a single quote,
 * as OWASP recommends. Log text is untrusted: an attacker controls what a log line says.
 */
import { getField, type JsonObject, type JsonValue } from '../../core/event/types.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly (JsonValue | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The row of an event for the given columns (dotted field paths). */
export function csvEventRow(event: JsonObject, columns: readonly string[]): string {
  return csvRow(columns.map((column) => getField(event, column)));
}
