/** `json`: parses a JSON string field into an object, at a target field or merged into the root. */
import { z } from 'zod';
import { describeError } from '../../core/errors.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../../core/event/types.ts';
import { defineProcessor, OptionError } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing, sourceOptions, typeName } from './field-options.ts';

export const json = defineProcessor({
  description:
    'Parses a JSON string field. Into target_field (default: the field itself), or with add_to_root merged into the event; dotted keys become nested objects.',
  schema: z.strictObject({
    ...sourceOptions('message'),
    target_field: fieldName.optional(),
    add_to_root: z.boolean().default(false),
    /** With add_to_root, whether parsed keys replace existing fields (default) or existing fields win. */
    override: z.boolean().default(true),
    remove_field: z.boolean().default(false),
  }),
  compile(options) {
    if (options.add_to_root && options.target_field !== undefined) throw new OptionError(['target_field'], 'target_field and add_to_root cannot be combined');
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field ?? options.field);
    const { ignore_missing: ignoreMissing, add_to_root: addToRoot, remove_field: removeField, override } = options;
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return ignoreMissing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      let parsed: JsonValue;
      try {
        parsed = JSON.parse(value) as JsonValue;
      } catch (error) {
        return `not valid JSON: ${describeError(error)}`;
      }
      if (addToRoot) {
        if (!isPlainObject(parsed)) return `add_to_root needs a JSON object, got ${typeName(parsed)}`;
        if (removeField) source.delete(event);
        merge(event, parsed, override);
        return undefined;
      }
      if (removeField && target !== source) source.delete(event);
      if (isPlainObject(parsed) && hasDottedKey(parsed)) {
        const nested: JsonObject = {};
        merge(nested, parsed, true);
        parsed = nested;
      }
      target.set(event, parsed);
      return undefined;
    };
  },
});

function hasDottedKey(object: JsonObject): boolean {
  for (const key in object) {
    if (key.includes('.') && key !== '@timestamp') return true;
    const value = object[key];
    if (isPlainObject(value) && hasDottedKey(value)) return true;
  }
  return false;
}

/**
 * Deep merge that also expands dotted keys (`{"log.level": "info"}` -> `log: {level: "info"}`) on
 * the way, without building the expanded copy first: objects merge, anything else replaces (or,
 * with override false, an existing value is kept). A `__proto__` key or key part is skipped:
 * assigned, it would reach the event's prototype, which is Object.prototype, shared by the whole
 * process (`{"__proto__": {"x": 1}}` would give every object an `x`).
 */
function merge(into: JsonObject, from: JsonObject, override: boolean): void {
  for (const key in from) {
    const value = from[key];
    if (value === undefined || key === PROTO) continue;
    let target = into;
    let name = key;
    if (key.includes('.') && key !== '@timestamp') {
      const parts = keyParts(key);
      if (parts === WHOLE) {
        target[key] = value;
        continue;
      }
      if (parts === SKIP) continue;
      const last = parts.length - 1;
      let blocked = false;
      for (let index = 0; index < last; index++) {
        const part = parts[index] as string;
        const next = target[part];
        if (isPlainObject(next)) target = next;
        else if (next === undefined || next === null || override) target = target[part] = {};
        else {
          blocked = true;
          break;
        }
      }
      // A value already there where an object is needed, and override false: the existing value wins.
      if (blocked) continue;
      name = parts[last] as string;
    }
    if (!isPlainObject(value)) {
      // The commonest case, decided without reading what is there when parsed keys win.
      if (override || target[name] === undefined) target[name] = value;
      continue;
    }
    const existing = target[name];
    if (isPlainObject(existing)) merge(existing, value, override);
    else if (hasDottedKey(value)) {
      if (override || existing === undefined) {
        const nested: JsonObject = {};
        merge(nested, value, true);
        target[name] = nested;
      }
    } else if (override || existing === undefined) target[name] = value;
  }
}

const PROTO = '__proto__';
/** A dotted key with an empty part (`a..b`): it stays one key. */
const WHOLE = 0;
/** A dotted key with a `__proto__` part: skipped, as `__proto__` itself. */
const SKIP = 1;

/**
 * The parts of dotted keys, kept: ECS JSON logs repeat the same few (`log.level`, `service.name`)
 * on every line, and splitting them again costs an array and its strings per key and line. Keys
 * come from the data, so the cache is emptied when it reaches its bound.
 */
const splitKeys = new Map<string, readonly string[] | typeof WHOLE | typeof SKIP>();
const SPLIT_KEYS_LIMIT = 1000;

function keyParts(key: string): readonly string[] | typeof WHOLE | typeof SKIP {
  let parts = splitKeys.get(key);
  if (parts === undefined) {
    const split = key.split('.');
    parts = split.includes('') ? WHOLE : split.includes(PROTO) ? SKIP : split;
    if (splitKeys.size >= SPLIT_KEYS_LIMIT) splitKeys.clear();
    splitKeys.set(key, parts);
  }
  return parts;
}
