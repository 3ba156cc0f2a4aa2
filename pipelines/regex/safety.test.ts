import { describe, expect, it } from 'vitest';
import { optionErrorOf, runProcessor } from '../testing/harness.ts';
import { checkRegex } from './safety.ts';

describe('regex safety', () => {
  it.each(['(a+)+$', '(a*)*', '(a|a)*', '(a|aa)*$', '^(\\w+\\s?)*$', '(x+x+)+y', '(\\d|\\w)+', '(?:\\d{1,3})+', '(?:a+){12}'])('refuses %s', (pattern) => {
    expect(checkRegex(pattern)).toMatch(/^unsafe regular expression: /);
  });

  it.each([
    '(?:[a-z]+\\.)+[a-z]+',
    '(?:[^"\\\\]|\\\\.)*',
    '(?:GET|POST|PUT|PATCH)+',
    '(?:bar|baz)+',
    '^(.*?),(.*?),(.*?)$',
    '(?<x>[^ ]+) (?<y>.*)',
    '(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}',
    '(?:/[\\w.-]*)+',
  ])('accepts %s', (pattern) => {
    expect(checkRegex(pattern)).toBeUndefined();
  });

  it('reports syntax errors', () => {
    expect(checkRegex('(a')).toBe('invalid regular expression: /(a/: Unterminated group');
  });

  it('refuses (a+)+$ at load, and nothing runs it on a long input: well under a second', () => {
    const started = performance.now();
    expect(optionErrorOf('regex', { field: 's', patterns: ['(a+)+$'] })).toMatch(
      /^pipelines\/x\.yaml:1:\d+: processors\[0\]\.regex\.patterns\[0\]: unsafe regular expression: 'a\+' inside the repeated '\(a\+\)\+'/,
    );
    expect(optionErrorOf('grok', { patterns: ['%{A}'], pattern_definitions: { A: '(a+)+$' } })).toContain('unsafe regular expression');
    expect(optionErrorOf('drop', { if: 's =~ /(a+)+$/' })).toContain('processors[0].drop.if: unsafe regular expression');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('bounds the input of a polynomial pattern by length, failing fast instead of scanning', () => {
    const started = performance.now();
    const event = runProcessor('regex', { field: 's', patterns: ['^(.*?),(.*?),(.*?)x$'] }, { s: ','.repeat(200_000) });
    expect((event?.['error'] as { message: string }).message).toBe(
      'regex: input is 200000 characters long, over the limit of 8192 for regular expressions (max_input_length)',
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
