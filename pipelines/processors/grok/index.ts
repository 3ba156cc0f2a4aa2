/** `grok`: parses text with named patterns into fields; patterns are tried in order. */
import { z } from 'zod';
import type { JsonObject } from '../../../core/event/types.ts';
import { defineProcessor, OptionError } from '../../engine/contract.ts';
import { fieldPath } from '../../engine/field-path.ts';
import { tooLong } from '../../regex/user-regex.ts';
import { missing, regexLimitOptions, sourceOptions, typeName } from '../field-options.ts';
import { compileGrok, type GrokExpression } from './expression.ts';
import { grokPatterns } from './patterns.ts';

export const grok = defineProcessor({
  description:
    'Matches a string field against grok patterns (tried in order); %{NAME:field} and %{NAME:field:int|float} captures become fields. Custom patterns go in pattern_definitions.',
  schema: z.strictObject({
    ...sourceOptions('message'),
    ...regexLimitOptions,
    patterns: z.array(z.string().min(1)).min(1),
    pattern_definitions: z.record(z.string().regex(/^\w+$/, 'a pattern name is letters, digits and underscores'), z.string().min(1)).default({}),
  }),
  compile(options, context) {
    const source = fieldPath(options.field);
    const definitions = { ...grokPatterns, ...options.pattern_definitions };
    for (const name of Object.keys(options.pattern_definitions)) {
      // Each custom pattern must be valid and safe on its own, so the error points at it.
      compileGrok(`%{${name}}`, definitions, ['pattern_definitions', name]);
    }
    const expressions = options.patterns.map((pattern, index) => compileGrok(pattern, definitions, ['patterns', index]));
    if (expressions.length === 0) throw new OptionError(['patterns'], 'at least one pattern is needed');
    const limit = options.max_input_length ?? context.maxInputLength;
    const ignoreMissing = options.ignore_missing;
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return ignoreMissing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      if (value.length > limit) return tooLong(value.length, limit);
      for (let index = 0; index < expressions.length; index++) {
        const match = (expressions[index] as GrokExpression).regex.exec(value);
        if (match !== null) return write(event, match, expressions[index] as GrokExpression);
      }
      return `no pattern matched field '${options.field}'`;
    };
  },
});

function write(event: JsonObject, match: RegExpExecArray, expression: GrokExpression): string | undefined {
  const captures = expression.captures;
  for (let index = 0; index < captures.length; index++) {
    const capture = captures[index] as (typeof captures)[number];
    const text = match[capture.index];
    if (text === undefined || text === '') continue;
    if (capture.type === undefined) {
      capture.field.set(event, text);
      continue;
    }
    const number = capture.type === 'int' ? Number.parseInt(text, 10) : Number.parseFloat(text);
    if (Number.isNaN(number)) return `cannot convert '${text}' captured for ${capture.field.path} to ${capture.type}`;
    capture.field.set(event, number);
  }
  return undefined;
}
