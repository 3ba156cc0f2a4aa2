/** Tests of lowercase, uppercase, trim, split, join, gsub, truncate, regex, fingerprint: processors on text. */
import { describe, expect, it } from 'vitest';
import { optionErrorOf, runProcessor, stored } from '../testing/harness.ts';

describe('lowercase, uppercase, trim', () => {
  it('transform strings and arrays of strings, into target_field if given', () => {
    expect(runProcessor('lowercase', { field: 's' }, { s: 'GET' })?.['s']).toBe('get');
    expect(runProcessor('uppercase', { field: 's', target_field: 't' }, { s: ['get', 'post'] })?.['t']).toEqual(['GET', 'POST']);
    expect(runProcessor('trim', { field: 's' }, { s: '  Error \r' })?.['s']).toBe('Error');
  });

  it('fail on other types', () => {
    expect((runProcessor('trim', { field: 's' }, { s: [1] })?.['error'] as { message: string }).message).toBe("trim: field 's' is an array, not a string");
  });
});

describe('split', () => {
  it('splits on a regular expression, dropping empty trailing parts unless asked', () => {
    expect(runProcessor('split', { field: 's', separator: '\\s*,\\s*' }, { s: 'a , b,c,,' })?.['s']).toEqual(['a', 'b', 'c']);
    expect(runProcessor('split', { field: 's', separator: ',', preserve_trailing: true, target_field: 't' }, { s: 'a,' })?.['t']).toEqual(['a', '']);
  });
});

describe('join', () => {
  it('joins any values, objects as JSON', () => {
    expect(runProcessor('join', { field: 'l', separator: ', ', target_field: 's' }, { l: ['a', 1, true, { b: 2 }] })?.['s']).toBe('a, 1, true, {"b":2}');
  });
});

describe('gsub', () => {
  it('replaces every match, with group references and ignore_case', () => {
    expect(runProcessor('gsub', { field: 's', pattern: '(\\d+)-(\\d+)', replacement: '$2-$1' }, { s: '1-2 3-4' })?.['s']).toBe('2-1 4-3');
    expect(runProcessor('gsub', { field: 's', pattern: 'secret', replacement: '***', ignore_case: true, target_field: 't' }, { s: 'SECRET x Secret' })?.['t']).toBe('*** x ***');
  });

  it('refuses an unsafe pattern and bounds the input length', () => {
    expect(optionErrorOf('gsub', { field: 's', pattern: '(a|a)*b', replacement: '' })).toContain('processors[0].gsub.pattern: unsafe regular expression');
    expect((runProcessor('gsub', { field: 's', pattern: 'a', replacement: 'b' }, { s: 'a'.repeat(20) }, { maxInputLength: 10 })?.['error'] as { message: string }).message).toContain('over the limit of 10');
  });
});

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(stored(runProcessor('truncate', { field: 's', length: 5 }, { s: 'abc' }))).toEqual({ s: 'abc' });
  });

  it('cuts long text, never inside a surrogate pair, and tags the event once', () => {
    expect(stored(runProcessor('truncate', { field: 's', length: 3 }, { s: 'ab😀cd', tags: ['x', '_truncated'] }))).toEqual({ s: 'ab', tags: ['x', '_truncated'] });
    expect(stored(runProcessor('truncate', { field: 's', length: 4, target_field: 't' }, { s: 'ab😀cd' }))).toEqual({ s: 'ab😀cd', t: 'ab😀', tags: ['_truncated'] });
  });
});

describe('regex', () => {
  it('writes named groups, __ standing for a dot, first matching pattern wins', () => {
    const options = { field: 's', patterns: ['^(?<user__name>\\w+) from (?<source__ip>[\\d.]+)$', '^(?<other>.+)$'] };
    expect(stored(runProcessor('regex', options, { s: 'bob from 1.2.3.4' }))).toEqual({ s: 'bob from 1.2.3.4', user: { name: 'bob' }, source: { ip: '1.2.3.4' } });
    expect(stored(runProcessor('regex', options, { s: 'else' }))).toEqual({ s: 'else', other: 'else' });
  });

  it('refuses invalid and unsafe patterns at load', () => {
    expect(optionErrorOf('regex', { patterns: ['(?<a>'] })).toContain('processors[0].regex.patterns[0]: invalid regular expression');
    expect(optionErrorOf('regex', { patterns: ['^(\\w+\\s?)*$'] })).toContain('processors[0].regex.patterns[0]: unsafe regular expression');
  });
});

const hash = (event: Record<string, string | number>, options: Record<string, unknown> = {}) =>
  runProcessor('fingerprint', { fields: ['a', 'b'], ...options }, event)?.['fingerprint'];

describe('fingerprint', () => {
  it('is stable, depends on names, values and salt, and keeps field boundaries apart', () => {
    expect(hash({ a: 'x', b: 'y' })).toBe(hash({ b: 'y', a: 'x' }));
    expect(hash({ a: 'xy', b: '' })).not.toBe(hash({ a: 'x', b: 'y' }));
    expect(hash({ a: 'x', b: 'y' }, { salt: 's' })).not.toBe(hash({ a: 'x', b: 'y' }));
    expect(hash({ a: 1, b: 2 })).toMatch(/^[0-9a-f]{40}$/);
    expect(hash({ a: 1, b: 2 }, { method: 'md5', encoding: 'base64' })).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('hashes what exists with ignore_missing', () => {
    expect(hash({ a: 'x' } as Record<string, string>, { ignore_missing: true })).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('max_input_length', () => {
  it('overrides the engine limit per processor', () => {
    const options = { field: 's', patterns: ['(?<w>\\w+)'], max_input_length: 3 };
    expect((runProcessor('regex', options, { s: 'abcd' })?.['error'] as { message: string }).message).toBe(
      'regex: input is 4 characters long, over the limit of 3 for regular expressions (max_input_length)',
    );
    expect(runProcessor('regex', options, { s: 'abc' })?.['w']).toBe('abc');
  });
});
