/** `set`: writes a value (with `{{field}}` templates) or a copy of another field. */
import { z } from 'zod';
import { copyJson, type JsonValue } from '../../core/event/types.ts';
import { defineProcessor, OptionError } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { compileTemplate } from '../engine/template.ts';
import { isoString } from './date/iso-string.ts';
import { fieldName, missing } from './field-options.ts';

export const set = defineProcessor({
  description: 'Sets a field to a value (strings may hold {{field}} references) or to a copy of another field (copy_from).',
  schema: z.strictObject({
    field: fieldName,
    value: z.json().optional(),
    copy_from: fieldName.optional(),
    override: z.boolean().default(true),
    ignore_empty_value: z.boolean().default(false),
  }),
  compile(options, context) {
    const ingestTimestamp = () => isoString(context.now());
    if ((options.value === undefined) === (options.copy_from === undefined)) throw new OptionError([], 'set needs exactly one of value and copy_from');
    const target = fieldPath(options.field);
    const copyFrom = options.copy_from;
    const produce = copyFrom === undefined ? compileTemplate(options.value as JsonValue, ingestTimestamp) : copying(copyFrom);
    const { override, ignore_empty_value: ignoreEmpty } = options;
    return (event) => {
      if (!override) {
        const existing = target.get(event);
        if (existing !== undefined && existing !== null) return undefined;
      }
      const value = produce(event);
      if (value === undefined) return copyFrom === undefined || ignoreEmpty ? undefined : missing(copyFrom);
      if (ignoreEmpty && (value === null || value === '')) return undefined;
      target.set(event, value);
      return undefined;
    };
  },
});

function copying(from: string) {
  const source = fieldPath(from);
  return (event: Parameters<typeof source.get>[0]) => {
    const value = source.get(event);
    return value === undefined ? undefined : copyJson(value);
  };
}
