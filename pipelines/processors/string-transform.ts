/** Builds the processors that map a string field (or each string of an array) to another string. */
import { z } from 'zod';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPair, inPlaceOptions, missing, typeName } from './field-options.ts';

export function stringTransform(description: string, transform: (text: string) => string) {
  return defineProcessor({
    description,
    schema: z.strictObject(inPlaceOptions()),
    compile(options) {
      const { source, target } = fieldPair(options.field, options.target_field);
      return (event) => {
        const value = source.get(event);
        if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
        if (typeof value === 'string') {
          target.set(event, transform(value));
          return undefined;
        }
        if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
          target.set(event, value.map(transform));
          return undefined;
        }
        return `field '${options.field}' is ${typeName(value)}, not a string`;
      };
    },
  });
}
