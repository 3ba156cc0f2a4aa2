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
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      let parsed: JsonValue;
      try {
        parsed = JSON.parse(value) as JsonValue;
      } catch (error) {
        return `not valid JSON: ${describeError(error)}`;
      }
      if (options.add_to_root) {
        if (!isPlainObject(parsed)) return `add_to_root needs a JSON object, got ${typeName(parsed)}`;
        if (options.remove_field) source.delete(event);
        merge(event, parsed, options.override);
        return undefined;
      }
      if (options.remove_field && target !== source) source.delete(event);
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
 * with override false, an existing value is kept).
 */
function merge(into: JsonObject, from: JsonObject, override: boolean): void {
  for (const key in from) {
    const value = from[key];
    if (value === undefined) continue;
    let target = into;
    let name = key;
    if (key.includes('.') && key !== '@timestamp') {
      const parts = key.split('.');
      if (parts.includes('')) {
        target[key] = value;
        continue;
      }
      name = parts.pop() as string;
      let blocked = false;
      for (const part of parts) {
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
    }
    const existing = target[name];
    if (isPlainObject(existing) && isPlainObject(value)) merge(existing, value, override);
    else if (isPlainObject(value) && hasDottedKey(value)) {
      if (override || existing === undefined) {
        const nested: JsonObject = {};
        merge(nested, value, true);
        target[name] = nested;
      }
    } else if (override || existing === undefined) target[name] = value;
  }
}
