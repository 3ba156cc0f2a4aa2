import { describe, expect, it } from 'vitest';
import { eventWithSharedContext, mergeSharedContext, sharedContext } from './context.ts';
import type { JsonObject } from './types.ts';

describe('sharedContext', () => {
  it('gives each event its own copy of the context', () => {
    const context = sharedContext({ log: { source: { address: '10.0.0.1:514', ip: '10.0.0.1' } }, network: { transport: 'tcp' }, tags: ['a', 'b'], port: 514, ok: true, none: null });
    const first: JsonObject = { message: 'one' };
    const second: JsonObject = { message: 'two' };
    expect(mergeSharedContext(first, context)).toBe(true);
    expect(mergeSharedContext(second, context)).toBe(true);
    expect(first).toEqual({ message: 'one', log: { source: { address: '10.0.0.1:514', ip: '10.0.0.1' } }, network: { transport: 'tcp' }, tags: ['a', 'b'], port: 514, ok: true, none: null });
    expect(first['log']).not.toBe(second['log']);
    expect(first['tags']).not.toBe(context['tags']);
    (first['tags'] as string[]).push('c');
    ((first['log'] as JsonObject)['source'] as JsonObject)['ip'] = 'changed';
    expect(context['tags']).toEqual(['a', 'b']);
    expect(second).toMatchObject({ log: { source: { ip: '10.0.0.1' } }, tags: ['a', 'b'] });
  });

  it('leaves an event that has one of its keys, and any context it was not made for, to the caller', () => {
    const context = sharedContext({ log: { offset: 1 }, host: { name: 'h' } });
    const event: JsonObject = { message: 'x', host: { name: 'mine' } };
    expect(mergeSharedContext(event, context)).toBe(false);
    expect(event).toEqual({ message: 'x', host: { name: 'mine' } });
    expect(mergeSharedContext({ message: 'y' }, { log: { offset: 1 } })).toBe(false);
  });

  it('gives contexts of one shape (one generated merge) each their own values', () => {
    const one = sharedContext({ log: { source: { address: '10.0.0.1:514', ip: '10.0.0.1' } } });
    const two = sharedContext({ log: { source: { address: '10.0.0.2:999', ip: '10.0.0.2' } } });
    const a: JsonObject = {};
    const b: JsonObject = {};
    mergeSharedContext(a, one);
    mergeSharedContext(b, two);
    expect(a).toEqual({ log: { source: { address: '10.0.0.1:514', ip: '10.0.0.1' } } });
    expect(b).toEqual({ log: { source: { address: '10.0.0.2:999', ip: '10.0.0.2' } } });
  });

  it('is neither JSON nor an enumerable key of the context', () => {
    const context = sharedContext({ a: { b: 1 } });
    expect(Object.keys(context)).toEqual(['a']);
    expect(JSON.stringify(context)).toBe('{"a":{"b":1}}');
  });

  it('takes keys and values as data only', () => {
    const key = '"]; throw new Error("code"); //';
    const context = sharedContext({ [key]: { 'x\n${y}`': '"); process.exit(1); ("' }, 'a\\b': 'c' });
    const event: JsonObject = {};
    expect(mergeSharedContext(event, context)).toBe(true);
    expect(event).toEqual({ [key]: { 'x\n${y}`': '"); process.exit(1); ("' }, 'a\\b': 'c' });
  });

  it('leaves __proto__ keys and dotted paths to the merge key by key', () => {
    const polluting = sharedContext(JSON.parse('{"labels": {"__proto__": {"polluted": true}}}') as JsonObject);
    const event: JsonObject = {};
    expect(mergeSharedContext(event, polluting)).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(mergeSharedContext({}, sharedContext({ 'log.file.path': '/x' }))).toBe(false);
  });

  it("makes a line's event in one literal, the same as the line's message merged with the context", () => {
    const context = sharedContext({ log: { source: { ip: '10.0.0.1' } }, tags: ['a'], event: { timezone: 'UTC' } });
    const merged: JsonObject = { message: 'one' };
    mergeSharedContext(merged, context);
    const made = eventWithSharedContext('one', context);
    expect(made).toEqual(merged);
    expect(JSON.stringify(made)).toBe(JSON.stringify(merged));
    const again = eventWithSharedContext('two', context) as JsonObject;
    expect(again['log']).not.toBe(made?.['log']);
    expect(again['tags']).not.toBe(context['tags']);
    // A context that is not shared, or brings its own message, is the caller's to merge.
    expect(eventWithSharedContext('x', { log: { offset: 1 } })).toBeUndefined();
    expect(eventWithSharedContext('x', sharedContext({ message: 'mine' }))).toBeUndefined();
    expect(eventWithSharedContext('x', sharedContext({ 'log.file.path': '/x' }))).toBeUndefined();
  });
});
