import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../core/event/types.ts';
import { fieldExpression, fieldPath } from './field-path.ts';

const doc: JsonObject = {
  message: 'hi',
  '@timestamp': '2026-01-15T10:00:00.000Z',
  log: { level: 'info', file: { path: '/var/log/x' } },
  tags: ['a'],
  host: 'web-1',
  empty: null,
  'a"b': { 'c\nd': 1 },
};

describe('field paths', () => {
  it.each([
    ['message', 'hi'],
    ['@timestamp', '2026-01-15T10:00:00.000Z'],
    ['log.level', 'info'],
    ['log.file.path', '/var/log/x'],
    ['log.file', { path: '/var/log/x' }],
    ['log.level.name', undefined],
    ['host.name', undefined],
    ['tags.0', undefined],
    ['empty.x', undefined],
    ['missing.x.y', undefined],
  ])('get %s', (path, expected) => {
    expect(fieldPath(path).get(doc)).toEqual(expected);
  });

  it('sets through missing or non-object parents and deletes by setting undefined', () => {
    const event: JsonObject = { host: 'web-1' };
    fieldPath('host.name').set(event, 'web-2');
    fieldPath('a.b.c').set(event, 1);
    expect(event).toEqual({ host: { name: 'web-2' }, a: { b: { c: 1 } } });
    expect(fieldPath('a.b.c').delete(event)).toBe(true);
    expect(fieldPath('a.b.c').delete(event)).toBe(false);
    expect(JSON.stringify(event)).toBe('{"host":{"name":"web-2"},"a":{"b":{}}}');
  });

  it('writes the same walk as an expression for generated code, keys as string literals only', () => {
    for (const path of ['message', '@timestamp', 'log.level', 'log.file.path', 'log.level.name', 'host.name', 'tags.0', 'empty.x', 'missing.x.y', 'a"b.c\nd']) {
      const read = new Function('doc', `let walk; return ${fieldExpression(path, 'doc', 'walk')};`) as (doc: JsonObject) => JsonValue | undefined;
      expect(read(doc)).toEqual(fieldPath(path).get(doc));
    }
  });
});
