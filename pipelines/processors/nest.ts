/**
 * `nest`: moves a value that sits where ECS expects an object into a field of that object:
 * `error: "boom"` becomes `error.message`, `host: "web-1"` becomes `host.name`. JSON logs
 * merged into the root (logrus and zap write `error` as a string) would otherwise hold a value
 * where the index mapping has an object, and be rejected by the store. Objects are left alone.
 */
import { z } from 'zod';
import type { JsonObject } from '../../core/event/types.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldExpression, fieldPath, type FieldPath } from '../engine/field-path.ts';
import { fieldName, missing } from './field-options.ts';

export const nest = defineProcessor({
  description: 'Moves a non-object value of each listed field into the named key under it (fields: {error: message} turns error: "x" into error.message: "x"); objects are left as they are.',
  schema: z.strictObject({
    fields: z.record(fieldName, z.string().regex(/^[A-Za-z_][\w-]*$/, 'a key such as message or name')).refine((fields) => Object.keys(fields).length > 0, 'at least one field'),
    ignore_missing: z.boolean().default(false),
  }),
  compile(options) {
    const moves = Object.entries(options.fields).map(([field, key]) => ({ path: fieldPath(field), key }));
    return compileMoves(moves, options.ignore_missing);
  },
});

interface Move {
  readonly path: FieldPath;
  readonly key: string;
}

/**
 * The moves as one generated function, one read after the other: the json pipeline lists 14
 * fields and runs this on every line, where a loop calling each field's accessor from one
 * (megamorphic) call site cost some 150 ns more a line, measured. Field names and keys enter the
 * code only as JSON string literals (keys are checked by the schema too; a key is a computed one,
 * so that `__proto__` stays a key); the accessors come in as values.
 */
function compileMoves(moves: readonly Move[], ignoreMissing: boolean): (event: JsonObject) => string | undefined {
  const lines = ['return function nest(event) {', '  let failure, value, walk;'];
  moves.forEach(({ path, key }, index) => {
    lines.push(
      `  value = ${fieldExpression(path.path, 'event', 'walk')};`,
      `  if (value === undefined) { if (!ignoreMissing && failure === undefined) failure = missing(moves[${index}].path.path); }`,
      `  else if (value !== null && (typeof value !== "object" || Array.isArray(value))) moves[${index}].path.set(event, { [${JSON.stringify(key)}]: value });`,
    );
  });
  lines.push('  return failure;', '};');
  const factory = new Function('moves', 'ignoreMissing', 'missing', lines.join('\n')) as (moves: readonly Move[], ignoreMissing: boolean, missing: (field: string) => string) => (event: JsonObject) => string | undefined;
  return factory(moves, ignoreMissing, missing);
}
