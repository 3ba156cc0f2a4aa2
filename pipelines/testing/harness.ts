/**
 * Test support: build one-processor pipelines from plain objects (JSON is YAML), run them, and
 * capture load errors. Used by every processor's tests and the compliance suite.
 */
import { isFaultlineError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/event/types.ts';
import type { Pipeline } from '../engine/pipeline.ts';
import { loadPipelinesFromText } from '../index.ts';

/** 2026-11-23T12:00:00Z: the reference "now" of tests that infer years. */
export const TEST_NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

export interface HarnessOptions {
  now?: number;
  maxInputLength?: number;
  /** Other pipelines to load beside (for the `pipeline` processor). */
  others?: readonly JsonObject[];
}

/** A pipeline `test` made of processors given as `{type: options}` objects. */
export function pipelineOf(processors: readonly JsonObject[], options: HarnessOptions = {}, extra: JsonObject = {}): Pipeline {
  const documents = [{ id: 'test', ...extra, processors }, ...(options.others ?? [])];
  const set = loadPipelinesFromText([documents.map((document, index) => ({ file: `test-${index}.yaml`, text: JSON.stringify(document) }))], {
    now: () => options.now ?? TEST_NOW,
    maxInputLength: options.maxInputLength,
    timingSampleRate: 1,
  });
  return set.get('test');
}

/** Runs one processor on a copy of `input`. */
export function runProcessor(type: string, processorOptions: JsonObject, input: JsonObject | string, options: HarnessOptions = {}): JsonObject | null {
  const pipeline = pipelineOf([{ [type]: processorOptions }], options);
  return pipeline.run(typeof input === 'string' ? input : structuredClone(input));
}

/** The message of the load error for a pipeline file's text, or throws when it loads. */
export function loadErrorOf(text: string, file = 'pipelines/x.yaml'): string {
  try {
    loadPipelinesFromText([[{ file, text }]], { now: () => TEST_NOW });
  } catch (error) {
    if (isFaultlineError(error)) return error.message;
    throw error;
  }
  throw new Error('expected the pipeline to be refused');
}

/** The load error of one processor's options. */
export function optionErrorOf(type: string, processorOptions: JsonObject): string {
  return loadErrorOf(JSON.stringify({ id: 'test', processors: [{ [type]: processorOptions }] }));
}

/** A JSON round trip: drops undefined-valued keys (removed fields) so that toEqual compares what is stored. */
export function stored(event: JsonObject | null): JsonObject | null {
  return event === null ? null : (JSON.parse(JSON.stringify(event)) as JsonObject);
}
