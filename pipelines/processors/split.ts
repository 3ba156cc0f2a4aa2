/** `split`: splits a string field into an array on a separator (a regular expression). */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { tooLong, userRegex } from '../regex/user-regex.ts';
import { fieldPair, inPlaceOptions, missing, regexLimitOptions, typeName } from './field-options.ts';

export const split = defineProcessor({
  description: 'Splits a string field into an array on separator (a regular expression); empty trailing parts are dropped unless preserve_trailing.',
  schema: z.strictObject({ ...inPlaceOptions(), ...regexLimitOptions, separator: z.string().min(1), preserve_trailing: z.boolean().default(false) }),
  compile(options, context) {
    const limit = options.max_input_length ?? context.maxInputLength;
    const { source, target } = fieldPair(options.field, options.target_field);
    const separator = userRegex(['separator'], options.separator);
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      if (value.length > limit) return tooLong(value.length, limit);
      const parts = value.split(separator);
      if (!options.preserve_trailing) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      target.set(event, parts);
      return undefined;
    };
  },
});
