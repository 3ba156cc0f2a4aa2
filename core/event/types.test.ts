import { describe, expect, it } from 'vitest';
import { getField, setField, type JsonObject } from './types.ts';

describe('field paths', () => {
  it('sets and gets nested fields, creating objects on the way', () => {
    const doc: JsonObject = { host: 'flat' };
    setField(doc, 'host.name', 'web-1');
    setField(doc, '@timestamp', '2026-01-01T00:00:00Z');
    expect(doc).toEqual({ host: { name: 'web-1' }, '@timestamp': '2026-01-01T00:00:00Z' });
    expect(getField(doc, 'host.name')).toBe('web-1');
    expect(getField(doc, 'host.name.more')).toBeUndefined();
  });

  it('keeps __proto__ and constructor as keys of the event, never reaching Object.prototype', () => {
    const doc: JsonObject = {};
    setField(doc, '__proto__.polluted', 'yes');
    setField(doc, 'a.__proto__', { polluted: 'yes' });
    setField(doc, 'constructor.name', 'x');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(getField(doc, '__proto__.polluted')).toBe('yes');
    expect(getField(doc, 'a.__proto__.polluted')).toBe('yes');
    expect(getField(doc, 'constructor.name')).toBe('x');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(JSON.parse('{"__proto__":{"polluted":"yes"},"a":{"__proto__":{"polluted":"yes"}},"constructor":{"name":"x"}}'));
  });

  it('does not answer inherited properties as fields', () => {
    expect(getField({}, 'constructor')).toBeUndefined();
    expect(getField({ a: {} }, 'a.toString')).toBeUndefined();
    expect(getField({}, '__proto__')).toBeUndefined();
  });
});
