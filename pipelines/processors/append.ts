/** `append`: adds values to an array field, turning a single value into an array. */
import { z } from 'zod';
import type { JsonValue } from '../../core/event/types.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { compileTemplate } from '../engine/template.ts';
import { isoString } from './date/iso-string.ts';
import { fieldName } from './field-options.ts';

export const append = defineProcessor({
  description: 'Appends one value or a list of values (with {{field}} templates) to an array field; allow_duplicates false skips values already there.',
  schema: z.strictObject({ field: fieldName, value: z.json(), allow_duplicates: z.boolean().default(true) }),
  compile(options, context) {
    const ingestTimestamp = () => isoString(context.now());
    const target = fieldPath(options.field);
    const values = (Array.isArray(options.value) ? options.value : [options.value]).map((value) => compileTemplate(value as JsonValue, ingestTimestamp));
    return (event) => {
      const existing = target.get(event);
      if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) return `field '${options.field}' is an object; append needs an array or a single value`;
      const list: JsonValue[] = existing === undefined || existing === null ? [] : Array.isArray(existing) ? existing : [existing];
      for (const produce of values) {
        const value = produce(event);
        if (value === undefined) continue;
        if (!options.allow_duplicates && list.some((item) => item === value || JSON.stringify(item) === JSON.stringify(value))) continue;
        list.push(value);
      }
      target.set(event, list);
      return undefined;
    };
  },
});
