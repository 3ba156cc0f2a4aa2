/** `copy`: copies a field's value (deeply) to another field. */
import { z } from 'zod';
import { copyJson } from '../../core/event/types.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing, sourceOptions } from './field-options.ts';

export const copy = defineProcessor({
  description: 'Copies a field to target_field; with override false an existing target is kept.',
  schema: z.strictObject({ ...sourceOptions(), target_field: fieldName, override: z.boolean().default(true) }),
  compile(options) {
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field);
    return (event) => {
      const value = source.get(event);
      if (value === undefined) return options.ignore_missing ? undefined : missing(options.field);
      if (!options.override && target.get(event) !== undefined) return undefined;
      target.set(event, typeof value === 'object' && value !== null ? copyJson(value) : value);
      return undefined;
    };
  },
});
