/**
 * `{{field.path}}` templates in string values of `set` and `append`: compiled once into parts.
 * A value that is exactly one reference keeps the field's type (a number stays a number); inside
 * text a missing field becomes the empty string and objects become JSON. `{{_ingest.timestamp}}`
 * is the time the event is processed (as in Elasticsearch ingest pipelines): a fallback
 * `@timestamp` for lines that carry none.
 */
import { copyJson, type JsonObject, type JsonValue } from '../../core/event/types.ts';
import { fieldPath } from './field-path.ts';

export type Template = (event: JsonObject) => JsonValue | undefined;

/** The reference that stands for the processing time. */
export const INGEST_TIMESTAMP = '_ingest.timestamp';

const REFERENCE = /\{\{\s*([A-Za-z_@][\w@.-]*)\s*\}\}/g;

/** A constant for values without references; strings are compiled, containers are walked. */
export function compileTemplate(value: JsonValue, ingestTimestamp?: () => string): Template {
  if (typeof value === 'string') return compileString(value, ingestTimestamp);
  if (value === null || typeof value !== 'object') return () => value;
  // Each event gets its own copy of a constant object: a later processor may write into it.
  if (!JSON.stringify(value).includes('{{')) return () => copyJson(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => compileTemplate(item, ingestTimestamp));
    return (event) => items.map((item) => item(event) ?? null);
  }
  const entries = Object.entries(value).map(([key, item]) => [key, compileTemplate(item ?? null, ingestTimestamp)] as const);
  return (event) => {
    const out: JsonObject = {};
    for (const [key, item] of entries) {
      const result = item(event);
      if (result !== undefined) out[key] = result;
    }
    return out;
  };
}

/** True when the string holds at least one `{{field}}` reference. */
export function hasReferences(text: string): boolean {
  REFERENCE.lastIndex = 0;
  return REFERENCE.test(text);
}

function compileString(text: string, ingestTimestamp: (() => string) | undefined): Template {
  const parts: (string | ((event: JsonObject) => JsonValue | undefined))[] = [];
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const name = match[1] as string;
    parts.push(name === INGEST_TIMESTAMP && ingestTimestamp !== undefined ? ingestTimestamp : fieldPath(name).get);
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return () => text;
  if (last < text.length) parts.push(text.slice(last));
  const only = parts[0];
  if (parts.length === 1 && typeof only === 'function') {
    // The field's value with its type; an object or array is copied, so the two fields do not alias.
    return (event) => {
      const value = only(event);
      return value !== null && typeof value === 'object' ? copyJson(value) : value;
    };
  }
  return (event) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = part(event);
      if (value === undefined || value === null) continue;
      out += typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    return out;
  };
}
