/** `remove`: deletes fields, or everything but the listed ones (`keep`). */
import { z } from 'zod';
import type { JsonObject } from '../../core/event/types.ts';
import { defineProcessor, OptionError } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing } from './field-options.ts';

export const remove = defineProcessor({
  description: 'Removes one or more fields (field), or every top-level field except those listed (keep).',
  schema: z.strictObject({
    field: z.union([fieldName, z.array(fieldName).min(1)]).optional(),
    keep: z.array(fieldName).min(1).optional(),
    ignore_missing: z.boolean().default(false),
  }),
  compile(options) {
    if ((options.field === undefined) === (options.keep === undefined)) throw new OptionError([], 'remove needs exactly one of field and keep');
    if (options.keep !== undefined) {
      const kept = options.keep.map(fieldPath);
      return (event) => {
        const saved = kept.map((path) => [path, path.get(event)] as const);
        for (const key of Object.keys(event)) delete event[key];
        for (const [path, value] of saved) if (value !== undefined) path.set(event, value);
        return undefined;
      };
    }
    const fields = (typeof options.field === 'string' ? [options.field] : (options.field ?? [])).map(fieldPath);
    const ignoreMissing = options.ignore_missing;
    return (event: JsonObject) => {
      let failure: string | undefined;
      for (let index = 0; index < fields.length; index++) {
        const path = fields[index] as (typeof fields)[number];
        if (!path.delete(event) && !ignoreMissing && failure === undefined) failure = missing(path.path);
      }
      return failure;
    };
  },
});
