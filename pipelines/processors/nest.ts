/**
 * `nest`: moves a value that sits where ECS expects an object into a field of that object:
 * `error: "boom"` becomes `error.message`, `host: "web-1"` becomes `host.name`. JSON logs
 * merged into the root (logrus and zap write `error` as a string) would otherwise hold a value
 * where the index mapping has an object, and be rejected by the store. Objects are left alone.
 */
import { z } from 'zod';
import type { JsonObject } from '../../core/event/types.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing } from './field-options.ts';

export const nest = defineProcessor({
  description: 'Moves a non-object value of each listed field into the named key under it (fields: {error: message} turns error: "x" into error.message: "x"); objects are left as they are.',
  schema: z.strictObject({
    fields: z.record(fieldName, z.string().regex(/^[A-Za-z_][\w-]*$/, 'a key such as message or name')).refine((fields) => Object.keys(fields).length > 0, 'at least one field'),
    ignore_missing: z.boolean().default(false),
  }),
  compile(options) {
    const moves = Object.entries(options.fields).map(([field, key]) => ({ path: fieldPath(field), key }));
    return (event: JsonObject) => {
      let failure: string | undefined;
      for (const { path, key } of moves) {
        const value = path.get(event);
        if (value === undefined) {
          if (!options.ignore_missing && failure === undefined) failure = missing(path.path);
          continue;
        }
        if (value === null || (typeof value === 'object' && !Array.isArray(value))) continue;
        path.set(event, { [key]: value });
      }
      return failure;
    };
  },
});
