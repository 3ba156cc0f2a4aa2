/**
 * The event validator: checks an incoming document against the field catalogue and normalizes it
 * the way Elasticsearch would coerce it (a number into a keyword field becomes a string, a numeric
 * string into a long field a number), so that both stores hold the same document.
 */
import { isIP } from 'node:net';
import { eventFields, knownField, objectPaths, type FieldType } from './fields.ts';
import { expandDottedKeys, isPlainObject, type FaultlineEvent, type JsonObject, type JsonValue } from './types.ts';

export type ValidationResult = { ok: true; event: FaultlineEvent } | { ok: false; reason: string };

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const MAX_ID_LENGTH = 512;

/** Validates and normalizes one event. Never throws: the reason says which field and why. */
export function validateEvent(input: unknown): ValidationResult {
  if (!isPlainObject(input)) return { ok: false, reason: `an event must be a JSON object, got ${describe(input)}` };
  const doc = expandDottedKeys(input);
  const problems: string[] = [];
  const normalized = normalizeObject(doc, '', problems);
  if (problems.length > 0) return { ok: false, reason: problems.slice(0, 5).join('; ') };

  const timestamp = normalized['@timestamp'];
  if (typeof timestamp !== 'string') return { ok: false, reason: "field '@timestamp' is required (ISO 8601 date)" };
  const section = normalized['event'];
  if (!isPlainObject(section) || typeof section['id'] !== 'string' || section['id'] === '') {
    return { ok: false, reason: "field 'event.id' is required (non-empty string)" };
  }
  if (section['id'].length > MAX_ID_LENGTH) {
    return { ok: false, reason: `field 'event.id' is longer than ${MAX_ID_LENGTH} characters` };
  }
  return { ok: true, event: normalized as FaultlineEvent };
}

/** Epoch milliseconds of an ISO 8601 date, or NaN. */
export function parseIsoDate(value: string): number {
  return ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
}

function normalizeObject(doc: JsonObject, prefix: string, problems: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const normalized = normalizeValue(path, value, problems);
    if (normalized !== undefined) out[key] = normalized;
  }
  return out;
}

function normalizeValue(path: string, value: JsonValue, problems: string[]): JsonValue | undefined {
  if (value === null) return null;
  const definition = knownField(path);
  if (definition) {
    if (definition.type === 'flattened' || definition.type === 'geo_point') {
      if (!isPlainObject(value)) problems.push(`field '${path}': expected an object (${definition.type}), got ${describe(value)}`);
      return value;
    }
    if (Array.isArray(value)) return value.map((item) => coerce(path, definition.type, item, problems));
    return coerce(path, definition.type, value, problems);
  }
  if (isPlainObject(value)) return normalizeObject(value, path, problems);
  if (objectPaths.has(path)) {
    problems.push(`field '${path}' holds fields (such as '${path}.${exampleChild(path)}'), not a value; got ${describe(value)}`);
    return undefined;
  }
  if (Array.isArray(value) && value.some((item) => Array.isArray(item))) {
    problems.push(`field '${path}': arrays of arrays are not supported`);
    return undefined;
  }
  if (path.startsWith('labels.') && typeof value !== 'string') return Array.isArray(value) ? value.map(String) : String(value);
  return value;
}

function coerce(path: string, type: FieldType, value: JsonValue, problems: string[]): JsonValue {
  const fail = (expected: string): JsonValue => {
    problems.push(`field '${path}': expected ${expected}, got ${describe(value)}`);
    return value;
  };
  switch (type) {
    case 'keyword':
    case 'text':
      if (typeof value === 'string') return value;
      if (type === 'keyword' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
      return fail(type === 'text' ? 'a string (text)' : 'a string (keyword)');
    case 'long': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number === 'number' && Number.isSafeInteger(number)) return number;
      return fail('an integer (long)');
    }
    case 'double': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
      return fail('a number (double)');
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return fail('true or false (boolean)');
    case 'ip':
      if (typeof value === 'string' && isIP(value) !== 0) return value;
      return fail('an IPv4 or IPv6 address (ip)');
    case 'date':
      if (typeof value === 'string' && !Number.isNaN(parseIsoDate(value))) return value;
      return fail('an ISO 8601 date such as 2026-11-23T12:00:00.000Z (date)');
    case 'flattened':
    case 'geo_point':
      return isPlainObject(value) ? value : fail(`an object (${type})`);
  }
}

function exampleChild(path: string): string {
  for (const candidate of Object.keys(eventFields)) if (candidate.startsWith(`${path}.`)) return candidate.slice(path.length + 1);
  return 'name';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
