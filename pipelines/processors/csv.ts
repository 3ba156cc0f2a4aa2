/** `csv`: splits one CSV line (RFC 4180 quoting) into named fields. */
import { z } from 'zod';
import type { JsonObject } from '../../core/event/types.ts';
import { defineProcessor, OptionError } from '../engine/contract.ts';
import { fieldPath, type FieldPath } from '../engine/field-path.ts';
import { fieldName, missing, sourceOptions, typeName } from './field-options.ts';

export const csv = defineProcessor({
  description: 'Parses a CSV line into target_fields (in order); quote doubles to escape; extra columns are ignored, missing ones not written.',
  schema: z.strictObject({
    ...sourceOptions('message'),
    target_fields: z.array(fieldName).min(1),
    separator: z.string().length(1).default(','),
    quote: z.string().length(1).default('"'),
    trim: z.boolean().default(false),
    /** Value written for empty columns; without it empty columns are not written. */
    empty_value: z.string().optional(),
  }),
  compile(options) {
    if (options.separator === options.quote) throw new OptionError(['quote'], 'quote and separator must differ');
    const source = fieldPath(options.field);
    const targets: FieldPath[] = options.target_fields.map(fieldPath);
    return (event: JsonObject) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      const columns = parseLine(value, options.separator, options.quote, targets.length);
      if (typeof columns === 'string') return columns;
      for (let index = 0; index < targets.length && index < columns.length; index++) {
        let column = columns[index] as string;
        if (options.trim) column = column.trim();
        if (column === '') {
          if (options.empty_value !== undefined) (targets[index] as FieldPath).set(event, options.empty_value);
          continue;
        }
        (targets[index] as FieldPath).set(event, column);
      }
      return undefined;
    };
  },
});

/** The columns of a line (at most `limit`), or a failure message for an unterminated quote. */
export function parseLine(line: string, separator: string, quote: string, limit: number): string[] | string {
  const columns: string[] = [];
  let index = 0;
  while (columns.length < limit) {
    let column: string;
    let next: number;
    if (line[index] === quote) {
      column = '';
      let cursor = index + 1;
      for (;;) {
        const end = line.indexOf(quote, cursor);
        if (end === -1) return `unterminated quoted column starting at character ${index + 1}`;
        column += line.slice(cursor, end);
        cursor = end + 1;
        if (line[cursor] !== quote) break;
        column += quote;
        cursor++;
      }
      next = line.indexOf(separator, cursor);
    } else {
      next = line.indexOf(separator, index);
      column = next === -1 ? line.slice(index) : line.slice(index, next);
    }
    columns.push(column);
    if (next === -1) break;
    index = next + 1;
  }
  return columns;
}
