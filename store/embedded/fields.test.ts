/** FieldWalker: the fields an event holds values in, and the captured fields' values found on the way. */
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/event/types.ts';
import { FieldWalker } from './fields.ts';

describe('FieldWalker', () => {
  it('hands back the values of its captured fields, as getField would find them', () => {
    const walker = new FieldWalker(['message', 'host.name', 'log.level', 'error.message']);
    const fields: number[] = [];
    const values = new Array<JsonValue | undefined>(4);
    walker.collect({ '@timestamp': 't', event: { id: 'a' }, message: ['one', 2], host: { name: 'h' }, log: { level: null }, error: {} }, fields, values);
    expect(values).toEqual([['one', 2], 'h', undefined, undefined]);
    expect(fields.map((index) => walker.entry(index).name)).toEqual(['@timestamp', 'event.id', 'message', 'host.name']);
  });

  it('refuses to capture what its walk never reaches', () => {
    expect(() => new FieldWalker(['custom.field'])).toThrow(/not a catalogue field/);
    expect(() => new FieldWalker(['log.syslog.structured_data.x'])).toThrow(/not a catalogue field/);
  });
});
