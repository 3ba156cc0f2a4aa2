/** Tests of kv, csv, json, convert, url, level: processors that parse a value into fields or types. */
import { describe, expect, it } from 'vitest';
import { optionErrorOf, runProcessor, stored } from '../testing/harness.ts';
import { parseLine } from './csv.ts';
import { normalizeLevel } from './level.ts';

describe('kv', () => {
  it('splits pairs into the root by default', () => {
    expect(stored(runProcessor('kv', {}, { message: 'user=bob action=login ok' }))).toEqual({ message: 'user=bob action=login ok', user: 'bob', action: 'login' });
  });

  it('uses regex splits, a target, a prefix, include/exclude, trimming and bracket stripping', () => {
    const event = runProcessor('kv', {
      field: 's',
      field_split: ';\\s*',
      value_split: ':',
      target_field: 'labels',
      prefix: 'x_',
      exclude_keys: ['skip'],
      trim_key: ' ',
      strip_brackets: true,
    }, { s: 'a: "1"; b:[two];skip:3' });
    expect(stored(event)).toEqual({ s: 'a: "1"; b:[two];skip:3', labels: { x_a: ' "1"', x_b: 'two' } });
    const trimmed = runProcessor('kv', { field: 's', trim_value: '" ', include_keys: ['a'] }, { s: 'a="1" b=2' });
    expect(stored(trimmed)).toEqual({ s: 'a="1" b=2', a: '1' });
  });

  it('skips keys with a __proto__ part rather than writing through them to Object.prototype', () => {
    expect(stored(runProcessor('kv', {}, { message: '__proto__.polluted=1 a.__proto__.polluted=2 __proto__=3 b=4' }))).toEqual({ message: '__proto__.polluted=1 a.__proto__.polluted=2 __proto__=3 b=4', b: '4' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('fails when no pair is found', () => {
    expect((runProcessor('kv', { field: 's' }, { s: 'plain text' })?.['error'] as { message: string }).message).toBe('kv: no key=value pairs found');
  });

  it('refuses an unsafe split pattern at load', () => {
    expect(optionErrorOf('kv', { field_split: '(\\s+)+x' })).toContain('processors[0].kv.field_split: unsafe regular expression');
  });
});

describe('csv', () => {
  it('parses quoted columns with doubled quotes and separators inside', () => {
    expect(parseLine('a,"b,c","say ""hi""",,e', ',', '"', 10)).toEqual(['a', 'b,c', 'say "hi"', '', 'e']);
    expect(parseLine('a,b,', ',', '"', 10)).toEqual(['a', 'b', '']);
    expect(parseLine('', ',', '"', 10)).toEqual(['']);
  });

  it('writes target fields in order, skips empty columns unless empty_value, trims on request', () => {
    const event = runProcessor('csv', { target_fields: ['a', 'b.c', 'd'], separator: ';', trim: true, empty_value: '-' }, { message: ' 1 ; x;' });
    expect(stored(event)).toEqual({ message: ' 1 ; x;', a: '1', b: { c: 'x' }, d: '-' });
    expect(stored(runProcessor('csv', { target_fields: ['a', 'b'] }, { message: '1,' }))).toEqual({ message: '1,', a: '1' });
  });

  it('fails on an unterminated quote', () => {
    expect((runProcessor('csv', { target_fields: ['a'] }, { message: '"abc' })?.['error'] as { message: string }).message).toBe(
      'csv: unterminated quoted column starting at character 1',
    );
  });
});

describe('json', () => {
  it('parses into the field itself by default, expanding dotted keys', () => {
    expect(stored(runProcessor('json', { field: 'j' }, { j: '{"log.level":"info","n":[1,2]}' }))).toEqual({ j: { log: { level: 'info' }, n: [1, 2] } });
  });

  it('merges into the root with add_to_root (deep, override configurable) and can remove the source', () => {
    const input = { message: '{"host":{"name":"a"},"message":"hello","service.name":"api"}', host: { ip: '1.2.3.4' } };
    expect(stored(runProcessor('json', { add_to_root: true }, input))).toEqual({ message: 'hello', host: { name: 'a', ip: '1.2.3.4' }, service: { name: 'api' } });
    expect(stored(runProcessor('json', { add_to_root: true, override: false, field: 'raw', remove_field: true }, { raw: '{"a":1,"b":2}', a: 0 }))).toEqual({ a: 0, b: 2 });
  });

  it('fails on invalid JSON and on a non-object with add_to_root', () => {
    expect((runProcessor('json', {}, { message: '{"a":' })?.['error'] as { message: string }).message).toMatch(/^json: not valid JSON: /);
    expect((runProcessor('json', { add_to_root: true }, { message: '[1]' })?.['error'] as { message: string }).message).toBe('json: add_to_root needs a JSON object, got an array');
  });

  it('skips __proto__ keys and key parts rather than writing through them to Object.prototype', () => {
    const line = '{"a":1,"__proto__":{"polluted":1},"__proto__.polluted":2,"b.__proto__.polluted":3,"x.y":{"z":1}}';
    expect(stored(runProcessor('json', { add_to_root: true, remove_field: true }, { message: line }))).toEqual({ a: 1, x: { y: { z: 1 } } });
    expect(stored(runProcessor('json', { target_field: 't' }, { message: '{"c.d":1,"__proto__":{"polluted":5}}' }))).toEqual({ message: '{"c.d":1,"__proto__":{"polluted":5}}', t: { c: { d: 1 } } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses target_field with add_to_root', () => {
    expect(optionErrorOf('json', { add_to_root: true, target_field: 'x' })).toContain('processors[0].json.target_field: target_field and add_to_root cannot be combined');
  });
});

const convert = (value: unknown, type: string) => {
  const event = runProcessor('convert', { field: 'v', type, target_field: 'out' }, { v: value as string });
  return event?.['out'] ?? (event?.['error'] as { message: string } | undefined)?.message;
};

describe('convert', () => {
  it('integer', () => {
    expect(convert(' 42 ', 'integer')).toBe(42);
    expect(convert('-7', 'integer')).toBe(-7);
    expect(convert('0x1F', 'integer')).toBe(31);
    expect(convert(3.9, 'integer')).toBe(3);
    expect(convert('4.2', 'integer')).toBe('convert: cannot convert "4.2" to integer');
  });

  it('float', () => {
    expect(convert('1.5e3', 'float')).toBe(1500);
    expect(convert('', 'float')).toBe('convert: cannot convert "" to float');
  });

  it('boolean', () => {
    expect(convert('Yes', 'boolean')).toBe(true);
    expect(convert('off', 'boolean')).toBe(false);
    expect(convert(0, 'boolean')).toBe(false);
    expect(convert('maybe', 'boolean')).toBe('convert: cannot convert "maybe" to boolean');
  });

  it('ip and string', () => {
    expect(convert(' 2001:db8::1 ', 'ip')).toBe('2001:db8::1');
    expect(convert('1.2.3', 'ip')).toBe('convert: "1.2.3" is not an IPv4 or IPv6 address');
    expect(convert(12, 'string')).toBe('12');
    expect(convert(true, 'string')).toBe('true');
  });

  it('converts arrays element by element', () => {
    expect(convert(['1', '2'], 'integer')).toEqual([1, 2]);
  });

  it('refuses an unknown type at load, listing the valid ones', () => {
    expect(optionErrorOf('convert', { field: 'v', type: 'long' })).toContain('processors[0].convert.type: expected one of: integer, float, boolean, ip, string');
  });
});

describe('url', () => {
  it('splits an absolute URL, dropping the password by default', () => {
    const original = 'HTTPS://bob:secret@Example.com:8443/a/b/file.PHP?x=1&y=2#top';
    expect(stored(runProcessor('url', {}, { url: { original } }))).toEqual({
      url: { original, scheme: 'https', domain: 'Example.com', port: 8443, username: 'bob', path: '/a/b/file.PHP', extension: 'php', query: 'x=1&y=2', fragment: 'top', full: original },
    });
    expect((runProcessor('url', { keep_password: true }, { url: { original } })?.['url'] as { password: string }).password).toBe('secret');
  });

  it('splits a request path and an IPv6 host', () => {
    expect(stored(runProcessor('url', { field: 'p', target_field: 'u' }, { p: '/index.html?q=a' }))).toEqual({ p: '/index.html?q=a', u: { path: '/index.html', extension: 'html', query: 'q=a' } });
    expect(stored(runProcessor('url', { field: 'p', target_field: 'u' }, { p: 'http://[::1]:80/' }))).toEqual({
      p: 'http://[::1]:80/',
      u: { scheme: 'http', domain: '::1', port: 80, path: '/', full: 'http://[::1]:80/' },
    });
  });

  it('fails on text that is no URL and on a port out of range', () => {
    expect((runProcessor('url', { field: 'p' }, { p: 'two words' })?.['error'] as { message: string }).message).toBe('url: not a URL: "two words"');
    expect((runProcessor('url', { field: 'p' }, { p: 'http://a:70000/' })?.['error'] as { message: string }).message).toBe('url: port 70000 is out of range');
  });
});

describe('level', () => {
  it.each([
    ['TRACE', 'trace'], ['finest', 'trace'], ['DEBUG', 'debug'], ['V', 'debug'], ['info', 'info'], ['Informational', 'info'], ['I', 'info'],
    ['notice', 'notice'], ['WARN', 'warning'], ['warning', 'warning'], ['W', 'warning'], ['err', 'error'], ['ERROR', 'error'], ['severe', 'critical'],
    ['FATAL', 'critical'], ['crit', 'critical'], ['alert', 'alert'], ['emerg', 'emergency'], ['panic', 'emergency'], [' Error ', 'error'],
  ])('%s -> %s', (word, expected) => {
    expect(normalizeLevel(word)).toBe(expected);
  });

  it('reads numbers on the chosen scale', () => {
    expect(normalizeLevel(3)).toBe('error');
    expect(normalizeLevel('0')).toBe('emergency');
    expect(normalizeLevel(8)).toBeUndefined();
    expect(normalizeLevel(30, 'python')).toBe('warning');
    expect(normalizeLevel(30, 'pino')).toBe('info');
  });

  it('writes log.level and event.severity', () => {
    expect(stored(runProcessor('level', {}, { log: { level: 'WARN' } }))).toEqual({ log: { level: 'warning' }, event: { severity: 4 } });
    expect(stored(runProcessor('level', { field: 'log.syslog.severity.code' }, { log: { syslog: { severity: { code: 2 } } } }))).toEqual({
      log: { syslog: { severity: { code: 2 } }, level: 'critical' },
      event: { severity: 2 },
    });
  });

  it('fails on an unknown word', () => {
    expect((runProcessor('level', {}, { log: { level: 'LOUD' } })?.['error'] as { message: string }).message).toBe(
      'level: unknown level "LOUD"; known: emergency, alert, critical, error, warning, notice, info, debug, trace and their usual spellings',
    );
  });
});
