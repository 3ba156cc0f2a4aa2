/** `fingerprint`: a hash of chosen fields, e.g. to deduplicate or group events. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../core/event/id.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing } from './field-options.ts';

export const fingerprint = defineProcessor({
  description: 'Hashes the values of fields (in order, with their names) into target_field with method sha1, sha256, sha512 or md5.',
  schema: z.strictObject({
    fields: z.array(fieldName).min(1),
    target_field: fieldName.default('fingerprint'),
    method: z.enum(['sha1', 'sha256', 'sha512', 'md5']).default('sha1'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    salt: z.string().default(''),
    ignore_missing: z.boolean().default(false),
  }),
  compile(options) {
    const fields = options.fields.map(fieldPath);
    const target = fieldPath(options.target_field);
    return (event) => {
      const hash = createHash(options.method);
      hash.update(options.salt);
      let found = 0;
      for (const path of fields) {
        const value = path.get(event);
        if (value === undefined) {
          if (!options.ignore_missing) return missing(path.path);
          continue;
        }
        found++;
        // Name and length prefixes keep {a: "bc"} and {a: "b", c} apart.
        const text = canonicalJson(value);
        hash.update(`${path.path.length}:${path.path}|${text.length}:${text}|`);
      }
      if (found === 0) return options.ignore_missing ? undefined : 'none of the fields exist';
      target.set(event, hash.digest(options.encoding));
      return undefined;
    };
  },
});
