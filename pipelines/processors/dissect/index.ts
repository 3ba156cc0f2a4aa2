/** `dissect`: splits text on literal delimiters into fields (faster than grok where the layout is fixed). */
import { z } from 'zod';
import { setField, type JsonObject } from '../../../core/event/types.ts';
import { defineProcessor, OptionError } from '../../engine/contract.ts';
import { fieldPath, isFieldPath, type FieldPath } from '../../engine/field-path.ts';
import { missing, sourceOptions, typeName } from '../field-options.ts';
import { parseDissect, splitDissect, type DissectPattern } from './pattern.ts';

export const dissect = defineProcessor({
  description: 'Splits a string field by a dissect pattern such as "%{client.ip} - %{user.name} [%{timestamp}]" into fields.',
  schema: z.strictObject({
    ...sourceOptions('message'),
    pattern: z.string().min(1),
    append_separator: z.string().default(''),
  }),
  compile(options) {
    let pattern: DissectPattern;
    try {
      pattern = parseDissect(options.pattern);
    } catch (error) {
      throw new OptionError(['pattern'], (error as Error).message);
    }
    const source = fieldPath(options.field);
    const keys = pattern.keys;
    const paths: (FieldPath | undefined)[] = keys.map((key) => (key.kind === 'normal' || key.kind === 'append' ? fieldPath(key.name) : undefined));
    const hasAppends = keys.some((key) => key.kind === 'append');
    const hasReferences = keys.some((key) => key.kind === 'reference_key');
    return (event: JsonObject) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      const values = splitDissect(pattern, value);
      if (values === undefined) return `pattern ${JSON.stringify(options.pattern)} does not match field '${options.field}'`;
      for (let index = 0; index < keys.length; index++) {
        if ((keys[index] as (typeof keys)[number]).kind === 'normal') (paths[index] as FieldPath).set(event, values[index] as string);
      }
      if (hasReferences) {
        const references = new Map<string, string>();
        keys.forEach((key, index) => {
          if (key.kind === 'reference_key') references.set(key.name, values[index] as string);
        });
        for (let index = 0; index < keys.length; index++) {
          const key = keys[index] as (typeof keys)[number];
          const name = references.get(key.name);
          // A key read from the text: core's setField, not the compiled-path cache.
          if (key.kind === 'reference_value' && name !== undefined && isFieldPath(name)) setField(event, name, values[index] as string);
        }
      }
      if (hasAppends) {
        const groups = new Map<string, { order: number; text: string }[]>();
        keys.forEach((key, index) => {
          if (key.kind !== 'append') return;
          groups.set(key.name, [...(groups.get(key.name) ?? []), { order: key.order, text: values[index] as string }]);
        });
        for (const [name, parts] of groups) {
          parts.sort((a, b) => a.order - b.order);
          fieldPath(name).set(event, parts.map((part) => part.text).join(options.append_separator));
        }
      }
      return undefined;
    };
  },
});
