/**
 * The processor compliance suite, run over every processor in the registry: each declares a
 * strict schema, turns a known input into an exact output, and on failure marks the event
 * (`error.message`, `_pipeline_error`), honours ignore_failure and on_failure, keeps the message,
 * honours ignore_missing where it has one, and moves its counters. A processor added to the
 * registry without a case here does not compile.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/event/types.ts';
import { pipelineOf, optionErrorOf, stored } from '../testing/harness.ts';
import { processors, type ProcessorName } from './registry.ts';

interface ComplianceCase {
  options: JsonObject;
  input: JsonObject;
  output: JsonObject;
  /** An input the processor fails on (with `failingOptions` if given); absent only for `drop`. */
  failing?: JsonObject;
  failingOptions?: JsonObject;
  /** Pipelines the case's options refer to. */
  others?: JsonObject[];
}

const cases = {
  append: { options: { field: 'l', value: ['b'] }, input: { l: ['a'] }, output: { l: ['a', 'b'] }, failing: { l: { a: 1 } } },
  convert: { options: { field: 'n', type: 'integer' }, input: { n: '42' }, output: { n: 42 }, failing: { n: 'forty-two' } },
  copy: { options: { field: 'a', target_field: 'b' }, input: { a: 1 }, output: { a: 1, b: 1 }, failing: { c: 1 } },
  csv: { options: { field: 'line', target_fields: ['x', 'y'] }, input: { line: 'a,b' }, output: { line: 'a,b', x: 'a', y: 'b' }, failing: { line: '"open' } },
  date: { options: { field: 't', formats: ['ISO8601'] }, input: { t: '2026-01-02T03:04:05Z' }, output: { t: '2026-01-02T03:04:05Z', '@timestamp': '2026-01-02T03:04:05.000Z' }, failing: { t: 'yesterday' } },
  dissect: { options: { field: 'line', pattern: '%{a} %{b}' }, input: { line: 'x y' }, output: { line: 'x y', a: 'x', b: 'y' }, failing: { line: 'xy' } },
  drop: { options: {}, input: {}, output: {} },
  fingerprint: { options: { fields: ['a'], method: 'sha256' }, input: { a: 'x' }, output: { a: 'x', fingerprint: '09b04416c3547b8eb1985b6b8777dcfd5c45a205640160a62d565f722f29fef0' }, failing: { b: 1 } },
  geoip: { options: { field: 'ip' }, input: { ip: '10.1.2.3' }, output: { ip: '10.1.2.3' }, failing: { ip: 'not-an-ip' } },
  grok: { options: { field: 'line', patterns: ['%{INT:n:int} %{WORD:w}'] }, input: { line: '7 seven' }, output: { line: '7 seven', n: 7, w: 'seven' }, failing: { line: 'nothing here' } },
  group: {
    options: { processors: [{ convert: { field: 'n', type: 'integer' } }, { set: { field: 'm', value: '{{n}}' } }] },
    input: { n: '42' },
    output: { n: 42, m: 42 },
    failing: { n: 'forty-two' },
  },
  gsub: { options: { field: 's', pattern: '\\d', replacement: '#' }, input: { s: 'a1b2' }, output: { s: 'a#b#' }, failing: { s: 5 } },
  join: { options: { field: 'l', separator: '-' }, input: { l: ['a', 'b'] }, output: { l: 'a-b' }, failing: { l: 'ab' } },
  json: { options: { field: 'j', target_field: 'o' }, input: { j: '{"a":1}' }, output: { j: '{"a":1}', o: { a: 1 } }, failing: { j: '{nope' } },
  kv: { options: { field: 's', target_field: 'kv' }, input: { s: 'a=1 b=2' }, output: { s: 'a=1 b=2', kv: { a: '1', b: '2' } }, failing: { s: 'no pairs' } },
  level: { options: { field: 'lvl' }, input: { lvl: 'WARN' }, output: { lvl: 'WARN', log: { level: 'warning' }, event: { severity: 4 } }, failing: { lvl: 'loud' } },
  lowercase: { options: { field: 's' }, input: { s: 'AbC' }, output: { s: 'abc' }, failing: { s: 1 } },
  nest: { options: { fields: { error: 'message' } }, input: { error: 'boom' }, output: { error: { message: 'boom' } }, failing: { other: 1 } },
  pipeline: {
    options: { name: 'inner' },
    input: { a: 1 },
    output: { a: 1, b: 2 },
    failing: { a: 'x' },
    others: [{ id: 'inner', processors: [{ convert: { field: 'a', type: 'integer' } }, { set: { field: 'b', value: 2 } }] }],
  },
  regex: { options: { field: 's', patterns: ['(?<user__name>\\w+)@'] }, input: { s: 'bob@host' }, output: { s: 'bob@host', user: { name: 'bob' } }, failing: { s: 'nobody' } },
  remove: { options: { field: 'a' }, input: { a: 1, b: 2 }, output: { b: 2 }, failing: { b: 2 } },
  rename: { options: { field: 'a', target_field: 'b' }, input: { a: 1 }, output: { b: 1 }, failing: { c: 1 } },
  set: { options: { field: 'a', value: 'x' }, input: {}, output: { a: 'x' }, failingOptions: { field: 'a', copy_from: 'b' }, failing: { c: 1 } },
  split: { options: { field: 's', separator: ',' }, input: { s: 'a,b' }, output: { s: ['a', 'b'] }, failing: { s: 1 } },
  syslog: {
    options: { field: 'line' },
    input: { line: '<34>1 2026-01-02T03:04:05.678Z web-1 app 42 - - hello' },
    output: {
      line: '<34>1 2026-01-02T03:04:05.678Z web-1 app 42 - - hello',
      '@timestamp': '2026-01-02T03:04:05.678Z',
      message: 'hello',
      host: { name: 'web-1' },
      process: { name: 'app', pid: 42 },
      log: { level: 'critical', syslog: { priority: 34, version: '1', facility: { code: 4, name: 'auth' }, severity: { code: 2, name: 'crit' }, hostname: 'web-1', appname: 'app', procid: '42' } },
      event: { severity: 2 },
    },
    failing: { line: 42 },
  },
  trim: { options: { field: 's' }, input: { s: ' a ' }, output: { s: 'a' }, failing: { s: true } },
  truncate: { options: { field: 's', length: 2 }, input: { s: 'abc' }, output: { s: 'ab', tags: ['_truncated'] }, failing: { s: 3 } },
  uppercase: { options: { field: 's' }, input: { s: 'aBc' }, output: { s: 'ABC' }, failing: { s: 1 } },
  url: { options: { field: 'u' }, input: { u: 'https://x.org/a.html' }, output: { u: 'https://x.org/a.html', url: { scheme: 'https', domain: 'x.org', path: '/a.html', extension: 'html', full: 'https://x.org/a.html' } }, failing: { u: 'not a url' } },
  user_agent: {
    options: { field: 'ua' },
    input: { ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0' },
    output: { ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', user_agent: { name: 'Firefox', version: '120.0', os: { name: 'Linux' } } },
    failing: { ua: 42 },
  },
} satisfies Record<ProcessorName, ComplianceCase>;

const names = Object.keys(processors) as ProcessorName[];

describe.each(names)('processor %s', (name) => {
  const definition = processors[name];
  const compliance: ComplianceCase = cases[name];
  const others = compliance.others ?? [];

  it('declares a description and a strict schema (unknown options are refused, naming the valid ones)', () => {
    expect(definition.description.length).toBeGreaterThan(10);
    const message = optionErrorOf(name, { ...compliance.options, no_such_option: 1 });
    expect(message).toMatch(new RegExp(`^pipelines/x\\.yaml:\\d+:\\d+: processors\\[0\\]\\.${name}\\.no_such_option: unknown option 'no_such_option'; valid: `));
    expect(message).toContain('ignore_failure');
  });

  it('turns the known input into the exact output and counts it', () => {
    const pipeline = pipelineOf([{ [name]: compliance.options }], { others });
    const result = pipeline.run(structuredClone(compliance.input));
    if (name === 'drop') {
      expect(result).toBeNull();
      const metrics = pipeline.metrics();
      expect(metrics.dropped).toBe(1);
      expect(metrics.processors[0]).toMatchObject({ processed: 1, dropped: 1, failed: 0 });
      return;
    }
    expect(stored(result)).toEqual(compliance.output);
    const metrics = pipeline.metrics();
    expect(metrics).toMatchObject({ pipeline: 'test', processed: 1, failed: 0, dropped: 0 });
    expect(metrics.processors[0]).toMatchObject({ type: name, processed: 1, failed: 0, dropped: 0 });
    expect(metrics.processors[0]?.time_us).toBeGreaterThanOrEqual(0);
  });

  if (compliance.failing === undefined) return;
  const failing = compliance.failing;
  const failingOptions = compliance.failingOptions ?? compliance.options;

  it('marks a failure with error.message and _pipeline_error, keeps the message, stops the pipeline and counts it', () => {
    const pipeline = pipelineOf([{ [name]: failingOptions }, { set: { field: 'after', value: true } }], { others });
    const input = { ...failing, message: 'the raw line' };
    const result = pipeline.run(structuredClone(input));
    expect(result).not.toBeNull();
    expect(result?.['message']).toBe('the raw line');
    expect(result?.['tags']).toContain('_pipeline_error');
    expect((result?.['error'] as JsonObject)['message']).toMatch(new RegExp(`^${name}: .+`));
    expect(result?.['after']).toBeUndefined();
    const metrics = pipeline.metrics();
    expect(metrics).toMatchObject({ processed: 1, failed: 1, dropped: 0 });
    expect(metrics.processors[0]).toMatchObject({ processed: 1, failed: 1 });
    expect(metrics.processors.find((entry) => entry.path === 'processors[1]')).toMatchObject({ processed: 0 });
  });

  it('with ignore_failure goes on without marking the event', () => {
    const pipeline = pipelineOf([{ [name]: { ...failingOptions, ignore_failure: true } }, { set: { field: 'after', value: true } }], { others });
    const result = pipeline.run(structuredClone(failing));
    // A called pipeline or a group marks its own failures before the caller decides to ignore them.
    if (name !== 'pipeline' && name !== 'group') {
      expect(result?.['tags']).toBeUndefined();
      expect(result?.['error']).toBeUndefined();
    }
    expect(result?.['after']).toBe(true);
    expect(pipeline.metrics().processors[0]).toMatchObject({ failed: 1 });
  });

  it('runs on_failure and goes on, the event still marked', () => {
    const pipeline = pipelineOf(
      [{ [name]: { ...failingOptions, tag: 'first', on_failure: [{ set: { field: 'handled', value: '{{error.message}}' } }] } }, { set: { field: 'after', value: true } }],
      { others },
    );
    const result = pipeline.run(structuredClone(failing));
    expect(result?.['handled']).toMatch(new RegExp(`^${name}\\[first\\]: `));
    expect(result?.['after']).toBe(true);
    expect(result?.['tags']).toEqual(['_pipeline_error']);
  });

  if (!('ignore_missing' in definition.schema.shape)) return;
  const fields = compliance.options['fields'];
  // `fields` is a list (remove, fingerprint) or a mapping from field to key (nest).
  const field = String(compliance.options['field'] ?? (Array.isArray(fields) ? fields[0] : Object.keys(fields as JsonObject)[0]));

  it('fails on a missing field, and with ignore_missing leaves the event as it was', () => {
    const missing = pipelineOf([{ [name]: { ...compliance.options } }], { others }).run({ other: 1 });
    expect((missing?.['error'] as JsonObject)['message']).toBe(`${name}: field '${field}' does not exist`);
    const ignored = pipelineOf([{ [name]: { ...compliance.options, ignore_missing: true } }], { others }).run({ other: 1 });
    expect(stored(ignored)).toEqual({ other: 1 });
  });
});
