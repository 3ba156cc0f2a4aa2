/** Tests of set, copy, rename, remove, append, drop: processors that move fields around. */
import { describe, expect, it } from 'vitest';
import { optionErrorOf, pipelineOf, runProcessor, stored } from '../testing/harness.ts';

describe('set', () => {
  it('sets constants of any JSON type and templates', () => {
    expect(stored(runProcessor('set', { field: 'event.kind', value: 'event' }, {}))).toEqual({ event: { kind: 'event' } });
    expect(stored(runProcessor('set', { field: 'labels', value: { env: 'prod' } }, {}))).toEqual({ labels: { env: 'prod' } });
    expect(stored(runProcessor('set', { field: 'event.dataset', value: 'nginx.{{kind}}' }, { kind: 'access' }))).toEqual({ kind: 'access', event: { dataset: 'nginx.access' } });
    expect(stored(runProcessor('set', { field: 'n2', value: '{{n}}' }, { n: 5 }))).toEqual({ n: 5, n2: 5 });
  });

  it('copies from another field; override false keeps an existing value; ignore_empty_value skips empties', () => {
    expect(stored(runProcessor('set', { field: 'b', copy_from: 'a' }, { a: { x: 1 } }))).toEqual({ a: { x: 1 }, b: { x: 1 } });
    expect(stored(runProcessor('set', { field: 'a', value: 2, override: false }, { a: 1 }))).toEqual({ a: 1 });
    expect(stored(runProcessor('set', { field: 'a', value: '{{b}}', ignore_empty_value: true }, { b: '' }))).toEqual({ b: '' });
  });

  it('needs exactly one of value and copy_from', () => {
    expect(optionErrorOf('set', { field: 'a' })).toContain('processors[0].set: set needs exactly one of value and copy_from');
  });
});

describe('copy', () => {
  it('copies deeply, so later changes do not leak', () => {
    const event = runProcessor('copy', { field: 'a', target_field: 'b' }, { a: { x: [1] } });
    expect(event?.['b']).toEqual({ x: [1] });
    expect(event?.['b']).not.toBe(event?.['a']);
  });

  it('keeps an existing target with override false', () => {
    expect(runProcessor('copy', { field: 'a', target_field: 'b', override: false }, { a: 1, b: 2 })?.['b']).toBe(2);
  });
});

describe('rename', () => {
  it('moves a field, also into nested paths', () => {
    expect(stored(runProcessor('rename', { field: 'src', target_field: 'source.ip' }, { src: '1.2.3.4' }))).toEqual({ source: { ip: '1.2.3.4' } });
  });

  it('refuses to replace an existing target unless override', () => {
    expect(stored(runProcessor('rename', { field: 'a', target_field: 'b' }, { a: 1, b: 2 }))).toEqual({
      a: 1,
      b: 2,
      error: { message: "rename: field 'b' already exists (set override: true to replace it)" },
      tags: ['_pipeline_error'],
    });
    expect(stored(runProcessor('rename', { field: 'a', target_field: 'b', override: true }, { a: 1, b: 2 }))).toEqual({ b: 1 });
  });
});

describe('remove', () => {
  it('removes one or several fields', () => {
    expect(stored(runProcessor('remove', { field: ['a', 'b.c'] }, { a: 1, b: { c: 2, d: 3 }, e: 4 }))).toEqual({ b: { d: 3 }, e: 4 });
  });

  it('keeps only the listed fields', () => {
    expect(stored(runProcessor('remove', { keep: ['message', 'host.name'] }, { message: 'm', host: { name: 'h', ip: 'x' }, other: 1 }))).toEqual({ message: 'm', host: { name: 'h' } });
  });

  it('reports the first missing field; ignore_missing removes what is there', () => {
    expect((runProcessor('remove', { field: ['a', 'b'] }, { a: 1 })?.['error'] as { message: string }).message).toBe("remove: field 'b' does not exist");
    expect(stored(runProcessor('remove', { field: ['a', 'b'], ignore_missing: true }, { a: 1, c: 1 }))).toEqual({ c: 1 });
  });

  it('needs field or keep', () => {
    expect(optionErrorOf('remove', {})).toContain('remove needs exactly one of field and keep');
  });
});

describe('append', () => {
  it('creates the array, turns a single value into one, and renders templates', () => {
    expect(runProcessor('append', { field: 'tags', value: 'a' }, {})?.['tags']).toEqual(['a']);
    expect(runProcessor('append', { field: 'tags', value: ['b', '{{x}}'] }, { tags: 'a', x: 'c' })?.['tags']).toEqual(['a', 'b', 'c']);
  });

  it('skips values already there with allow_duplicates false', () => {
    expect(runProcessor('append', { field: 'tags', value: ['a', 'b'], allow_duplicates: false }, { tags: ['a'] })?.['tags']).toEqual(['a', 'b']);
  });
});

describe('drop', () => {
  it('drops the events its condition selects and counts them', () => {
    const pipeline = pipelineOf([{ drop: { if: 'log.level == "debug"' } }, { set: { field: 'kept', value: true } }]);
    expect(pipeline.run({ log: { level: 'debug' } })).toBeNull();
    expect(pipeline.run({ log: { level: 'info' } })).toEqual({ log: { level: 'info' }, kept: true });
    expect(pipeline.metrics()).toMatchObject({ processed: 2, dropped: 1, failed: 0 });
  });
});

describe('templates', () => {
  it('put the processing time where {{_ingest.timestamp}} stands', () => {
    expect(stored(runProcessor('set', { field: '@timestamp', value: '{{_ingest.timestamp}}' }, {}, { now: Date.UTC(2026, 0, 2, 3, 4, 5, 6) }))).toEqual({ '@timestamp': '2026-01-02T03:04:05.006Z' });
    expect(stored(runProcessor('append', { field: 'seen', value: 'at {{_ingest.timestamp}}' }, {}, { now: 0 }))).toEqual({ seen: ['at 1970-01-01T00:00:00.000Z'] });
  });
});

describe('nest', () => {
  it('moves values where ECS has objects into them, leaves objects and fails on a missing field', () => {
    expect(stored(runProcessor('nest', { fields: { error: 'message', host: 'name' } }, { error: 'EOF', host: { name: 'h' } }))).toEqual({ error: { message: 'EOF' }, host: { name: 'h' } });
    expect(stored(runProcessor('nest', { fields: { tags: 'list' } }, { tags: ['a'] }))).toEqual({ tags: { list: ['a'] } });
    expect(stored(runProcessor('nest', { fields: { error: 'message', user: 'name' } }, { error: 'x' }))).toMatchObject({ error: { message: "nest: field 'user' does not exist" } });
  });
});

describe('field paths', () => {
  it('take any characters in a name, quotes and backslashes included', () => {
    const event = runProcessor('set', { field: 'a"b.c\\d.\u2028', value: 1 }, {});
    expect(event).toEqual({ 'a"b': { 'c\\d': { '\u2028': 1 } } });
    expect(stored(runProcessor('rename', { field: 'a"b.c\\d.\u2028', target_field: 'x' }, { 'a"b': { 'c\\d': { '\u2028': 1 } } }))).toEqual({ 'a"b': { 'c\\d': {} }, x: 1 });
  });
});
