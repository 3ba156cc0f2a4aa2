/** `convert`: changes a field's type (integer, float, boolean, ip, string). */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { JsonValue } from '../../core/event/types.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPair, inPlaceOptions, missing, typeName } from './field-options.ts';

const types = ['integer', 'float', 'boolean', 'ip', 'string'] as const;
type Target = (typeof types)[number];

/** The converted value, or a failure message. */
type Converter = (value: JsonValue) => JsonValue | { failure: string };

const INTEGER = /^[+-]?\d+$/;
const HEX = /^0x[0-9a-f]+$/i;

const converters: Record<Target, Converter> = {
  integer: (value) => {
    if (typeof value === 'number') return Number.isInteger(value) ? value : Math.trunc(value);
    if (typeof value === 'string') {
      const text = value.trim();
      const number = INTEGER.test(text) ? Number(text) : HEX.test(text) ? Number.parseInt(text, 16) : Number.NaN;
      if (Number.isSafeInteger(number)) return number;
    }
    return { failure: `cannot convert ${describe(value)} to integer` };
  },
  float: (value) => {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value.trim() !== '') {
      const number = Number(value.trim());
      if (Number.isFinite(number)) return number;
    }
    return { failure: `cannot convert ${describe(value)} to float` };
  },
  boolean: (value) => {
    if (typeof value === 'boolean') return value;
    const text = String(value).trim().toLowerCase();
    if (text === 'true' || text === 'yes' || text === 'on' || text === '1') return true;
    if (text === 'false' || text === 'no' || text === 'off' || text === '0') return false;
    return { failure: `cannot convert ${describe(value)} to boolean` };
  },
  ip: (value) => {
    if (typeof value === 'string') {
      const text = value.trim();
      if (isIP(text) !== 0) return text;
    }
    return { failure: `${describe(value)} is not an IPv4 or IPv6 address` };
  },
  string: (value) => (typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)),
};

function describe(value: JsonValue): string {
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value) : typeName(value);
}

export const convert = defineProcessor({
  description: 'Converts a field (or each element of an array) to integer, float, boolean, ip or string.',
  schema: z.strictObject({ ...inPlaceOptions(), type: z.enum(types) }),
  compile(options) {
    const { source, target } = fieldPair(options.field, options.target_field);
    const converter = converters[options.type];
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (Array.isArray(value)) {
        const out: JsonValue[] = [];
        for (const item of value) {
          const converted = converter(item);
          if (isFailure(converted)) return converted.failure;
          out.push(converted);
        }
        target.set(event, out);
        return undefined;
      }
      const converted = converter(value);
      if (isFailure(converted)) return converted.failure;
      target.set(event, converted);
      return undefined;
    };
  },
});

function isFailure(value: JsonValue | { failure: string }): value is { failure: string } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value['failure'] === 'string' && Object.keys(value).length === 1;
}
