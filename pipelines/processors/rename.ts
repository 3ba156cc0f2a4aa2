/** `rename`: moves a field to another name. */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing, sourceOptions } from './field-options.ts';

export const rename = defineProcessor({
  description: 'Renames a field to target_field; fails when the target exists unless override is true.',
  schema: z.strictObject({ ...sourceOptions(), target_field: fieldName, override: z.boolean().default(false) }),
  compile(options) {
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field);
    const { ignore_missing: ignoreMissing, override } = options;
    return (event) => {
      const value = source.get(event);
      if (value === undefined) return ignoreMissing ? undefined : missing(options.field);
      if (!override && target.get(event) !== undefined) return `field '${options.target_field}' already exists (set override: true to replace it)`;
      source.delete(event);
      target.set(event, value);
      return undefined;
    };
  },
});
