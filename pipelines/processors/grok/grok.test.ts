import { describe, expect, it } from 'vitest';
import { optionErrorOf, runProcessor, stored } from '../../testing/harness.ts';
import { compileGrok } from './expression.ts';
import { grokPatterns } from './patterns.ts';

/** One example each for a sample of the library: pattern name -> text it must match whole. */
const examples: Record<string, string[]> = {
  IPV4: ['192.168.0.1', '255.255.255.255', '8.8.8.8'],
  IPV6: ['::1', '2001:db8::ff00:42:8329', '::ffff:192.0.2.128', 'fe80::1%eth0', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
  HOSTNAME: ['web-01.example.com', 'localhost'],
  UUID: ['123e4567-e89b-12d3-a456-426614174000'],
  MAC: ['00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5E', '001a.2b3c.4d5e'],
  UNIXPATH: ['/var/log/nginx/access.log'],
  WINPATH: ['C:\\Windows\\System32\\drivers'],
  URI: ['https://user@example.com:8443/a/b.php?x=1&y=2', 'ftp://files.example.org/pub'],
  TIMESTAMP_ISO8601: ['2026-11-23T12:00:00Z', '2026-11-23T12:00:00.123+01:00', '2015-07-29 17:41:44,747'],
  SYSLOGTIMESTAMP: ['Jun 14 15:16:01', 'Jul  1 09:00:02'],
  HTTPDATE: ['10/Oct/2000:13:55:36 -0700'],
  HTTPDERROR_DATE: ['Sun Dec 04 04:47:44 2005'],
  DATESTAMP_RFC2822: ['Mon, 23 Nov 2026 12:00:00 +0000'],
  LOGLEVEL: ['INFO', 'warn', 'Error', 'CRITICAL', 'debug', 'notice'],
  QUOTEDSTRING: ['"say \\"hi\\""', "'single'"],
  EMAILADDRESS: ['ops+alerts@example.com'],
  NUMBER: ['-1.5', '42', '.5'],
  BASE16NUM: ['0xDEADbeef'],
  PORT: ['8080', '65535'],
};

describe('grok pattern library', () => {
  it('holds at least 80 named patterns, each compiling to a safe regular expression', () => {
    const names = Object.keys(grokPatterns);
    expect(names.length).toBeGreaterThanOrEqual(80);
    for (const name of names) expect(() => compileGrok(`%{${name}}`, grokPatterns, [])).not.toThrow();
  });

  it.each(Object.entries(examples))('%s matches its examples whole', (name, texts) => {
    const { regex } = compileGrok(`^%{${name}}$`, grokPatterns, []);
    for (const text of texts) expect(regex.test(text), text).toBe(true);
  });

  it('refuses near misses', () => {
    expect(compileGrok('^%{IPV4}$', grokPatterns, []).regex.test('256.1.1.1')).toBe(false);
    expect(compileGrok('^%{UUID}$', grokPatterns, []).regex.test('123e4567-e89b-12d3-a456')).toBe(false);
    expect(compileGrok('^%{PORT}$', grokPatterns, []).regex.test('65536')).toBe(false);
  });
});

describe('grok', () => {
  it('parses an RFC 3164 line from the loghub Linux sample into ECS fields', () => {
    const event = runProcessor('grok', { patterns: ['^%{SYSLOGTIMESTAMP:timestamp} %{SYSLOGHOST:host.name} %{SYSLOGPROG}: %{GREEDYDATA:message}$'] }, {
      message: 'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
    });
    expect(stored(event)).toEqual({
      message: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
      timestamp: 'Jun 14 15:16:01',
      host: { name: 'combo' },
      process: { name: 'sshd(pam_unix)', pid: 19939 },
    });
  });

  it('parses an nginx/Apache combined access line', () => {
    const event = runProcessor('grok', { patterns: ['%{COMBINEDAPACHELOG}'] }, {
      message: '93.184.216.34 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    });
    expect(stored(event)).toMatchObject({
      source: { address: '93.184.216.34' },
      user: { name: 'frank' },
      timestamp: '10/Oct/2000:13:55:36 -0700',
      http: { request: { method: 'GET', referrer: 'http://www.example.com/start.html' }, version: '1.0', response: { status_code: 200, body: { bytes: 2326 } } },
      url: { original: '/apache_pb.gif?x=1' },
      user_agent: { original: 'Mozilla/4.08 [en] (Win98; I ;Nav)' },
    });
  });

  it('converts :int and :float captures and skips empty ones', () => {
    const event = runProcessor('grok', { field: 'f', patterns: ['%{INT:a:int} %{NUMBER:b:float} (?<c>\\w*)x'] }, { f: '12 3.5 x' });
    expect(stored(event)).toEqual({ f: '12 3.5 x', a: 12, b: 3.5 });
  });

  it('tries patterns in order and uses the first that matches', () => {
    const options = { field: 'f', patterns: ['^%{INT:n:int}$', '^%{WORD:w}$'] };
    expect(stored(runProcessor('grok', options, { f: '5' }))).toEqual({ f: '5', n: 5 });
    expect(stored(runProcessor('grok', options, { f: 'five' }))).toEqual({ f: 'five', w: 'five' });
  });

  it('uses custom pattern definitions, raw named groups with dotted fields, and Logstash field syntax', () => {
    const event = runProcessor('grok', {
      field: 'f',
      patterns: ['%{QUEUE:[postfix][queue]} (?<postfix.status>\\w+)'],
      pattern_definitions: { QUEUE: '[0-9A-F]{10,11}' },
    }, { f: '4B3E21C0F2 sent' });
    expect(stored(event)).toEqual({ f: '4B3E21C0F2 sent', postfix: { queue: '4B3E21C0F2', status: 'sent' } });
  });

  it('fails with a message when nothing matches, and on text over the length limit', () => {
    const event = runProcessor('grok', { field: 'f', patterns: ['^%{INT}$'] }, { f: 'abc' });
    expect(stored(event)).toEqual({ f: 'abc', error: { message: "grok: no pattern matched field 'f'" }, tags: ['_pipeline_error'] });
    const long = runProcessor('grok', { field: 'f', patterns: ['%{INT}'] }, { f: 'x'.repeat(101) }, { maxInputLength: 100 });
    expect((long?.['error'] as { message: string }).message).toBe('grok: input is 101 characters long, over the limit of 100 for regular expressions (max_input_length)');
  });

  it('refuses unknown patterns, unknown types and self-references at load, with a suggestion', () => {
    expect(optionErrorOf('grok', { patterns: ['%{IPV5:ip}'] })).toMatch(/^pipelines\/x\.yaml:1:\d+: processors\[0\]\.grok\.patterns\[0\]: unknown grok pattern 'IPV5' \(did you mean 'IPV4'\?\)/);
    expect(optionErrorOf('grok', { patterns: ['%{INT:n:long}'] })).toContain("unknown grok type 'long' in %{INT:n:long}; valid: int, float");
    expect(optionErrorOf('grok', { patterns: ['%{A}'], pattern_definitions: { A: 'x%{B}', B: '%{A}' } })).toContain("grok pattern 'A' refers to itself: A -> B -> A");
  });

  it('refuses a catastrophic custom pattern at load, naming it', () => {
    const message = optionErrorOf('grok', { patterns: ['%{BAD}'], pattern_definitions: { BAD: '(a+)+$' } });
    expect(message).toMatch(/processors\[0\]\.grok\.pattern_definitions\.BAD: unsafe regular expression/);
  });
});
