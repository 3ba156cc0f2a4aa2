import { describe, expect, it } from 'vitest';
import { sharedContext } from '../../core/event/context.ts';
import { z } from 'zod';
import { loadPipelineTexts } from './load/loader.ts';
import { defineProcessor } from './contract.ts';
import { simulate } from './simulate.ts';
import { pipelineOf, stored } from '../testing/harness.ts';
import { processors as registry } from '../processors/registry.ts';

describe('running a pipeline', () => {
  it('turns a raw line into {message}, cuts a trailing CR, adds the source context and, opted in, event.original', () => {
    const plain = pipelineOf([]);
    expect(plain.run('hello\r', { 'log.file.path': '/var/log/x.log', 'host.name': 'web-1' })).toEqual({
      message: 'hello',
      log: { file: { path: '/var/log/x.log' } },
      host: { name: 'web-1' },
    });
    const original = pipelineOf([{ set: { field: 'message', value: 'changed' } }], {}, { keep_original: true });
    expect(original.run('raw text')).toEqual({ message: 'changed', event: { original: 'raw text' } });
  });

  it('runs a JSON object in place; nested context merges without replacing the input fields or being shared', () => {
    const input = { message: 'x', host: { name: 'own' } };
    const context = { host: { name: 'source', ip: ['10.0.0.1'] }, log: { file: { path: '/a.log' } } };
    const pipeline = pipelineOf([{ append: { field: 'host.ip', value: '10.0.0.2' } }]);
    expect(pipeline.run(input, context)).toBe(input);
    expect(input).toEqual({ message: 'x', host: { name: 'own', ip: ['10.0.0.1', '10.0.0.2'] }, log: { file: { path: '/a.log' } } });
    expect(context.host.ip).toEqual(['10.0.0.1']);
  });

  it('merges a shared context (copied by a function made for it) as it merges any other', () => {
    const pipeline = pipelineOf([{ append: { field: 'host.ip', value: '10.0.0.2' } }, { set: { field: 'log.source.port', value: 514 } }]);
    const plain = { host: { name: 'source', ip: ['10.0.0.1'] }, log: { source: { address: '10.0.0.9:514' } }, event: { timezone: 'UTC' } };
    const shared = sharedContext(structuredClone(plain));
    for (const input of ['a line', { message: 'an object', host: { name: 'own' } }]) {
      const made = [pipeline.run(structuredClone(input), shared), pipeline.run(structuredClone(input), shared)];
      expect(made[0]).toEqual(pipeline.run(structuredClone(input), plain));
      expect(made[1]).toEqual(made[0]);
    }
    expect(shared).toEqual(plain);
  });

  it('gives each event its own copy of a constant or referenced object, so later processors never write into another event', () => {
    const pipeline = pipelineOf([
      { set: { field: 'event', value: { kind: 'event' } } },
      { set: { field: 'event.action', value: '{{message}}' } },
      { set: { field: 'copy', value: '{{event}}' } },
      { set: { field: 'copy.action', value: 'changed' } },
    ]);
    const first = pipeline.run('first');
    const second = pipeline.run('second');
    expect(first).toEqual({ message: 'first', event: { kind: 'event', action: 'first' }, copy: { kind: 'event', action: 'changed' } });
    expect(second).toEqual({ message: 'second', event: { kind: 'event', action: 'second' }, copy: { kind: 'event', action: 'changed' } });
  });

  it('skips processors whose condition is false', () => {
    const pipeline = pipelineOf([
      { set: { if: 'log.level == "error"', field: 'alert', value: true } },
      { set: { if: 'not exists(alert)', field: 'alert', value: false } },
    ]);
    expect(pipeline.run({ log: { level: 'error' } })).toEqual({ log: { level: 'error' }, alert: true });
    expect(pipeline.run({ log: { level: 'info' } })).toEqual({ log: { level: 'info' }, alert: false });
    expect(pipeline.metrics().processors.map((processor) => processor.processed)).toEqual([1, 1]);
  });

  it('runs a processor on_failure, then goes on; a failing handler stops the pipeline', () => {
    const pipeline = pipelineOf([
      { convert: { field: 'n', type: 'integer', on_failure: [{ set: { field: 'n', value: 0 } }] } },
      { set: { field: 'after', value: true } },
    ]);
    expect(stored(pipeline.run({ n: 'x' }))).toEqual({ n: 0, after: true, error: { message: 'convert: cannot convert "x" to integer' }, tags: ['_pipeline_error'] });
    const failingHandler = pipelineOf([
      { convert: { field: 'n', type: 'integer', on_failure: [{ rename: { field: 'nope', target_field: 'x' } }] } },
      { set: { field: 'after', value: true } },
    ]);
    expect(stored(failingHandler.run({ n: 'x' }))).toEqual({ n: 'x', error: { message: "rename: field 'nope' does not exist" }, tags: ['_pipeline_error'] });
  });

  it('runs the pipeline on_failure after an unhandled failure and stops', () => {
    const pipeline = pipelineOf(
      [{ grok: { patterns: ['^%{INT:n:int}$'] } }, { set: { field: 'parsed', value: true } }],
      {},
      { on_failure: [{ set: { field: 'event.kind', value: 'pipeline_error' } }] },
    );
    expect(stored(pipeline.run('not a number'))).toEqual({
      message: 'not a number',
      event: { kind: 'pipeline_error' },
      error: { message: "grok: no pattern matched field 'message'" },
      tags: ['_pipeline_error'],
    });
    expect(pipeline.metrics()).toMatchObject({ processed: 1, failed: 1 });
    expect(pipeline.metrics().processors.map((processor) => [processor.path, processor.processed])).toEqual([
      ['processors[0]', 1],
      ['processors[1]', 0],
      ['on_failure[0]', 1],
    ]);
  });

  it('calls other pipelines: their changes, failures and drops count', () => {
    const others = [
      { id: 'parse', processors: [{ grok: { patterns: ['^%{WORD:verb} %{INT:n:int}$'] } }] },
      { id: 'filter', processors: [{ drop: { if: 'verb == "noise"' } }] },
    ];
    const pipeline = pipelineOf([{ pipeline: { name: 'parse' } }, { pipeline: { name: 'filter' } }, { set: { field: 'done', value: true } }], { others });
    expect(stored(pipeline.run('add 5'))).toEqual({ message: 'add 5', verb: 'add', n: 5, done: true });
    expect(pipeline.run('noise 1')).toBeNull();
    expect(stored(pipeline.run('bad'))).toEqual({
      message: 'bad',
      error: { message: "pipeline: grok: no pattern matched field 'message'" },
      tags: ['_pipeline_error'],
    });
    expect(pipeline.metrics()).toMatchObject({ processed: 3, failed: 1, dropped: 1 });
  });

  it('treats a processor that throws as a failure, never losing the event', () => {
    const registry = {
      explode: defineProcessor({
        description: 'Throws, as a buggy processor would.',
        schema: z.strictObject({}),
        compile: () => () => {
          throw new TypeError('boom');
        },
      }),
    };
    const set = loadPipelineTexts([[{ file: 'p.yaml', text: 'id: p\nprocessors:\n  - explode: {}\n' }]], { registry, timingSampleRate: 1 });
    expect(set.get('p').run('line')).toEqual({ message: 'line', error: { message: 'explode: boom' }, tags: ['_pipeline_error'] });
  });

  it('keeps existing tags and error fields', () => {
    const event = pipelineOf([{ convert: { field: 'n', type: 'integer' } }]).run({ n: 'x', tags: 'web', error: { type: 'Timeout' } });
    expect(event).toEqual({ n: 'x', tags: ['web', '_pipeline_error'], error: { type: 'Timeout', message: 'convert: cannot convert "x" to integer' } });
  });
});

describe('simulate', () => {
  it('reports per processor what was added, changed and removed, its status and time', () => {
    const pipeline = pipelineOf(
      [
        { grok: { patterns: ['^%{WORD:verb} %{INT:n:int} %{GREEDYDATA:message}$'] } },
        { remove: { field: 'verb' } },
        { set: { if: 'n > 10', field: 'big', value: true } },
        { convert: { field: 'message', type: 'integer', tag: 'num', ignore_failure: true } },
      ],
      { others: [] },
    );
    const input = { message: 'add 5 rest of it' };
    const [result] = simulate(pipeline, [input, 'add']);
    expect(input).toEqual({ message: 'add 5 rest of it' });
    expect(result?.event).toEqual({ message: 'rest of it', n: 5 });
    expect(result?.error).toBeNull();
    const trace = result?.trace ?? [];
    expect(trace.map(({ time_us: _time, ...entry }) => entry)).toEqual([
      { pipeline: 'test', processor: 'grok', path: 'processors[0]', depth: 0, status: 'ok', added: { verb: 'add', n: 5 }, changed: { message: { from: 'add 5 rest of it', to: 'rest of it' } } },
      { pipeline: 'test', processor: 'remove', path: 'processors[1]', depth: 0, status: 'ok', removed: ['verb'] },
      { pipeline: 'test', processor: 'set', path: 'processors[2]', depth: 0, status: 'skipped' },
      { pipeline: 'test', processor: 'convert', tag: 'num', path: 'processors[3]', depth: 0, status: 'ignored_failure', error: 'convert[num]: cannot convert "rest of it" to integer' },
    ]);
    expect(trace[0]?.time_us).toBeGreaterThanOrEqual(0);
  });

  it('reports failures, drops and nested pipelines with their depth', () => {
    const pipeline = pipelineOf([{ pipeline: { name: 'inner' } }], {
      others: [{ id: 'inner', processors: [{ drop: { if: 'message == "drop me"' } }, { convert: { field: 'message', type: 'integer' } }] }],
    });
    const [dropped, failed] = simulate(pipeline, ['drop me', 'x']);
    expect(dropped?.event).toBeNull();
    expect(dropped?.trace.map((entry) => [entry.pipeline, entry.processor, entry.depth, entry.status])).toEqual([
      ['test', 'pipeline', 0, 'dropped'],
      ['inner', 'drop', 1, 'dropped'],
    ]);
    expect(failed?.error).toBe('pipeline: convert: cannot convert "x" to integer');
    expect(failed?.trace.map((entry) => [entry.processor, entry.status, entry.error])).toEqual([
      ['pipeline', 'failed', 'pipeline: convert: cannot convert "x" to integer'],
      ['drop', 'skipped', undefined],
      ['convert', 'failed', 'convert: cannot convert "x" to integer'],
    ]);
  });
});

describe('the compiled step lists', () => {
  // Runs use generated step lists (execute.ts, compileSteps); simulations the traced loop. Both
  // must give the same events and counters, sampled (timed) or not, through every kind of outcome.
  const list = [
    { set: { field: 'seen', value: true } },
    {
      group: {
        if: 'kind in ["a", "b"]',
        processors: [
          { convert: { field: 'n', type: 'integer', ignore_failure: true } },
          { grok: { field: 'text', patterns: ['^%{INT:m:int}$'], on_failure: [{ set: { field: 'handled', value: true } }] } },
          { drop: { if: 'm == 7' } },
          { rename: { if: 'kind == "b"', field: 'missing', target_field: 'x' } },
        ],
      },
    },
    { pipeline: { name: 'inner' } },
    { set: { field: 'after', value: true } },
  ];
  const others = [{ id: 'inner', processors: [{ convert: { if: 'exists(fail)', field: 'fail', type: 'integer' } }] }];
  const onFailure = { on_failure: [{ set: { field: 'event.kind', value: 'pipeline_error' } }] };
  const inputs = [{ kind: 'a', n: '5', text: '3' }, { kind: 'a', n: 'x', text: 'y' }, { kind: 'a', text: '7' }, { kind: 'b', text: '1' }, { kind: 'c', fail: 'z' }, { kind: 'c' }];
  const load = (timingSampleRate: number) => {
    const documents = [{ id: 'test', ...onFailure, processors: list }, ...others];
    return loadPipelineTexts([documents.map((document, index) => ({ file: `t-${index}.yaml`, text: JSON.stringify(document) }))], { registry, timingSampleRate }).get('test');
  };

  it.each([1, 4])('agree with the traced loop, timing one event in %i', (rate) => {
    const compiled = load(rate);
    const traced = load(rate);
    for (const input of [...inputs, ...inputs]) {
      const simulated = simulate(traced, [structuredClone(input)])[0]?.event ?? null;
      expect(stored(compiled.run(structuredClone(input)))).toEqual(simulated === null ? null : stored(simulated));
    }
    const counts = (pipeline: typeof compiled) => {
      const { processors: steps, processed, failed, dropped } = pipeline.metrics();
      return [processed, failed, dropped, steps.map((step) => [step.path, step.processed, step.failed, step.dropped])];
    };
    expect(counts(compiled)).toEqual(counts(traced));
    expect(counts(compiled)[2]).toBe(2);
  });
});
