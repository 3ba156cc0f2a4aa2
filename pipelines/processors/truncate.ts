/** `truncate`: cuts a string field to a maximum length and tags the event `_truncated`. */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPair, inPlaceOptions, missing, typeName } from './field-options.ts';
import { addTag } from './tags.ts';

export const TRUNCATED_TAG = '_truncated';

export const truncate = defineProcessor({
  description: 'Cuts a string field to at most length characters (never splitting a surrogate pair) and adds the tag _truncated when it did.',
  schema: z.strictObject({ ...inPlaceOptions(), length: z.int().min(1) }),
  compile(options) {
    const { source, target } = fieldPair(options.field, options.target_field);
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      if (value.length <= options.length) {
        if (target !== source) target.set(event, value);
        return undefined;
      }
      let end = options.length;
      const last = value.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff) end--;
      target.set(event, value.slice(0, end));
      addTag(event, TRUNCATED_TAG);
      return undefined;
    };
  },
});
