/** `kv`: splits `key=value` pairs out of a string field. */
import { z } from 'zod';
import { setField, type JsonObject } from '../../core/event/types.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath, isFieldPath } from '../engine/field-path.ts';
import { tooLong, userRegex } from '../regex/user-regex.ts';
import { fieldName, missing, sourceOptions, regexLimitOptions, typeName } from './field-options.ts';

export const kv = defineProcessor({
  description:
    'Splits a string into pairs on field_split and each pair into key and value on value_split (both regular expressions); writes them under target_field (default: the root).',
  schema: z.strictObject({
    ...sourceOptions('message'),
    ...regexLimitOptions,
    field_split: z.string().min(1).default(' '),
    value_split: z.string().min(1).default('='),
    target_field: fieldName.optional(),
    include_keys: z.array(z.string()).optional(),
    exclude_keys: z.array(z.string()).optional(),
    prefix: z.string().default(''),
    trim_key: z.string().optional(),
    trim_value: z.string().optional(),
    /** Removes one pair of surrounding quotes or brackets ("", '', (), [], <>) from values. */
    strip_brackets: z.boolean().default(false),
  }),
  compile(options, context) {
    const limit = options.max_input_length ?? context.maxInputLength;
    const source = fieldPath(options.field);
    const target = options.target_field === undefined ? undefined : fieldPath(options.target_field);
    const fieldSplit = userRegex(['field_split'], options.field_split);
    const valueSplit = userRegex(['value_split'], options.value_split);
    const include = options.include_keys === undefined ? undefined : new Set(options.include_keys);
    const exclude = new Set(options.exclude_keys ?? []);
    const trimKey = options.trim_key === undefined ? undefined : trimmer(options.trim_key);
    const trimValue = options.trim_value === undefined ? undefined : trimmer(options.trim_value);
    return (event: JsonObject) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      if (value.length > limit) return tooLong(value.length, limit);
      let into: JsonObject = event;
      if (target !== undefined) {
        const existing = target.get(event);
        if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) into = existing;
        else {
          into = {};
          target.set(event, into);
        }
      }
      let found = 0;
      for (const pair of value.split(fieldSplit)) {
        if (pair === '') continue;
        valueSplit.lastIndex = 0;
        const match = valueSplit.exec(pair);
        if (match === null || match.index === 0) continue;
        let key = pair.slice(0, match.index);
        let text = pair.slice(match.index + match[0].length);
        if (trimKey !== undefined) key = trimKey(key);
        if (trimValue !== undefined) text = trimValue(text);
        if (options.strip_brackets) text = stripBrackets(text);
        if ((include !== undefined && !include.has(key)) || exclude.has(key)) continue;
        const name = options.prefix + key;
        // A `__proto__` part would write through to Object.prototype, shared by the whole process.
        if (!isFieldPath(name) || (name.includes('__proto__') && name.split('.').includes('__proto__'))) continue;
        // Keys come from the data: core's setField, not the bounded cache of compiled paths.
        setField(into, name, text);
        found++;
      }
      return found === 0 && include === undefined ? 'no key=value pairs found' : undefined;
    };
  },
});

function trimmer(characters: string): (text: string) => string {
  const set = new Set(characters);
  return (text) => {
    let start = 0;
    let end = text.length;
    while (start < end && set.has(text[start] as string)) start++;
    while (end > start && set.has(text[end - 1] as string)) end--;
    return text.slice(start, end);
  };
}

const BRACKETS: Record<string, string> = { '"': '"', "'": "'", '(': ')', '[': ']', '<': '>' };

function stripBrackets(text: string): string {
  const close = BRACKETS[text[0] ?? ''];
  return close !== undefined && text.length >= 2 && text.endsWith(close) ? text.slice(1, -1) : text;
}
