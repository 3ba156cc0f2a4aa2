/**
 * Option fragments shared by the processors that read a field and write a result, so that
 * `field`, `target_field` and `ignore_missing` mean the same everywhere.
 */
import { z } from 'zod';
import type { JsonValue } from '../../core/event/types.ts';
import { fieldPath, isFieldPath } from '../engine/field-path.ts';

export const fieldName = z.string().refine(isFieldPath, 'a field name such as `message` or `host.name`');

/** `field` (required unless a default is given), `ignore_missing`. */
export function sourceOptions(defaultField?: string) {
  return {
    field: defaultField === undefined ? fieldName : fieldName.default(defaultField),
    ignore_missing: z.boolean().default(false),
  };
}

/** `field`, `target_field` (defaults to `field`), `ignore_missing`. */
export function inPlaceOptions(defaultField?: string) {
  return { ...sourceOptions(defaultField), target_field: fieldName.optional() };
}

/** The failure message for a missing source field. */
export function missing(field: string): string {
  return `field '${field}' does not exist`;
}

/** Accessors for `field` and `target_field` (defaulting to the field itself). */
export function fieldPair(field: string, target: string | undefined) {
  return { source: fieldPath(field), target: fieldPath(target ?? field) };
}

export function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** For processors that run regular expressions: a per-processor input length limit over the engine's default. */
export const regexLimitOptions = {
  max_input_length: z.int().min(1).max(1_048_576).optional(),
};
