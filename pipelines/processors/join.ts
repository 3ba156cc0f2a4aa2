/** `join`: joins an array field into a string. */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPair, inPlaceOptions, missing, typeName } from './field-options.ts';

export const join = defineProcessor({
  description: 'Joins the elements of an array field into one string with separator.',
  schema: z.strictObject({ ...inPlaceOptions(), separator: z.string() }),
  compile(options) {
    const { source, target } = fieldPair(options.field, options.target_field);
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (!Array.isArray(value)) return `field '${options.field}' is ${typeName(value)}, not an array`;
      target.set(event, value.map((item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item))).join(options.separator));
      return undefined;
    };
  },
});
