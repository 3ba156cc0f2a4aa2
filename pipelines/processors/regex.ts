/**
 * `regex`: named groups of a regular expression become fields. JavaScript group names cannot hold
 * dots, so `__` in a group name stands for one: `(?<source__ip>\S+)` writes `source.ip`.
 */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath, type FieldPath } from '../engine/field-path.ts';
import { tooLong, userRegex } from '../regex/user-regex.ts';
import { missing, sourceOptions, regexLimitOptions, typeName } from './field-options.ts';

export const regex = defineProcessor({
  description: 'Matches patterns (tried in order) against a string field; named groups become fields (__ in a name stands for a dot).',
  schema: z.strictObject({
    ...sourceOptions('message'),
    ...regexLimitOptions,
    patterns: z.array(z.string().min(1)).min(1),
    ignore_case: z.boolean().default(false),
  }),
  compile(options, context) {
    const limit = options.max_input_length ?? context.maxInputLength;
    const source = fieldPath(options.field);
    const compiled = options.patterns.map((pattern, index) => {
      const expression = userRegex(['patterns', index], pattern, options.ignore_case ? 'i' : '');
      const names = [...pattern.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((match) => match[1] as string);
      const targets: [string, FieldPath][] = names.map((name) => [name, fieldPath(name.replaceAll('__', '.'))]);
      return { expression, targets };
    });
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      if (value.length > limit) return tooLong(value.length, limit);
      for (const { expression, targets } of compiled) {
        const groups = expression.exec(value)?.groups;
        if (groups === undefined) continue;
        for (const [name, target] of targets) {
          const captured = groups[name];
          if (captured !== undefined && captured !== '') target.set(event, captured);
        }
        return undefined;
      }
      return `no pattern matched field '${options.field}'`;
    };
  },
});
