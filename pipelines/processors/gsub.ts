/** `gsub`: replaces every match of a regular expression in a string field. */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { tooLong, userRegex } from '../regex/user-regex.ts';
import { fieldPair, inPlaceOptions, missing, regexLimitOptions, typeName } from './field-options.ts';

export const gsub = defineProcessor({
  description: 'Replaces every match of pattern in a string field with replacement ($1, $<name> refer to groups).',
  schema: z.strictObject({ ...inPlaceOptions(), ...regexLimitOptions, pattern: z.string().min(1), replacement: z.string(), ignore_case: z.boolean().default(false) }),
  compile(options, context) {
    const limit = options.max_input_length ?? context.maxInputLength;
    const { source, target } = fieldPair(options.field, options.target_field);
    const pattern = userRegex(['pattern'], options.pattern, options.ignore_case ? 'gi' : 'g');
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      if (value.length > limit) return tooLong(value.length, limit);
      target.set(event, value.replace(pattern, options.replacement));
      return undefined;
    };
  },
});
