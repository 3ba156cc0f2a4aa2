/**
 * Loads pipeline files from directories (built-ins first, then the user's), compiles them, links
 * `pipeline` processors to their targets and refuses unknown targets and cycles. Later
 * directories may replace a pipeline of an earlier one by using its id (a user's `syslog`
 * replaces the built-in); within one directory an id must be unique.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '../../../core/errors.ts';
import { compileDocument, type CompileOptions, type PipelineReference, type Registry } from '../compile.ts';
import type { Pipeline } from '../pipeline.ts';
import { Problems } from './problems.ts';
import { parseYaml } from './pipeline-source.ts';
import { PipelineSet } from './pipeline-set.ts';

export interface LoadOptions {
  /** Processor types by name (the registry in processors/registry.ts). */
  readonly registry: Registry;
  /** Reference "now" for year inference, epoch ms; defaults to the clock. */
  readonly now?: () => number;
  /** Longest text a regular expression runs on (default 8192 characters). */
  readonly maxInputLength?: number;
  /** Time one event in this many (power of two, default 256). */
  readonly timingSampleRate?: number;
}

/** A pipeline file's text, for loading without a directory (tests, the simulate API). */
export interface PipelineText {
  readonly file: string;
  readonly text: string;
}

export const DEFAULT_MAX_INPUT_LENGTH = 8192;
/**
 * A timed event reads the clock twice per processor, and a clock read costs up to 100 ns on
 * virtual machines: one event in 256 keeps that under a nanosecond per event and processor,
 * and the extrapolated times still settle within seconds at any useful rate.
 */
export const DEFAULT_TIMING_SAMPLE_RATE = 256;

/** Loads every `*.yaml`/`*.yml` file of the directories, in order; throws FL_ERR_PIPELINE_INVALID listing every problem. */
export function loadPipelineDirectories(directories: readonly string[], options: LoadOptions): PipelineSet {
  return loadPipelineTexts(directories.map(readPipelineDirectory), options);
}

/** The texts of a directory's `*.yaml`/`*.yml` files (not its subdirectories), in name order. */
export function readPipelineDirectory(directory: string): PipelineText[] {
  let names: string[];
  try {
    if (!statSync(directory).isDirectory()) throw new Error('not a directory');
    names = readdirSync(directory).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (error) {
    throw new FaultlineError('FL_ERR_CONFIG_UNREADABLE', `${directory}: cannot read the pipeline directory: ${(error as Error).message}`, { directory });
  }
  return names.map((name) => {
    const file = join(directory, name);
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new FaultlineError('FL_ERR_CONFIG_UNREADABLE', `${file}: cannot read: ${(error as Error).message}`, { file });
    }
  });
}

/** Loads groups of pipeline texts; each group is one directory (a later group may replace ids of an earlier one). */
export function loadPipelineTexts(groups: readonly (readonly PipelineText[])[], options: LoadOptions): PipelineSet {
  const compileOptions: CompileOptions = {
    registry: options.registry,
    now: options.now ?? Date.now,
    maxInputLength: options.maxInputLength ?? DEFAULT_MAX_INPUT_LENGTH,
    timingSampleRate: checkedSampleRate(options.timingSampleRate ?? DEFAULT_TIMING_SAMPLE_RATE),
  };
  const problems = new Problems();
  const pipelines = new Map<string, Pipeline>();
  let references: PipelineReference[] = [];
  for (const group of groups) {
    const seen = new Map<string, string>();
    for (const { file, text } of group) {
      problems.noteFile(file);
      const parsed = parseYaml(file, text);
      if (!parsed.ok) {
        problems.addRaw(parsed.where, '(file)', parsed.reason);
        continue;
      }
      const { pipeline, references: found } = compileDocument(parsed.source, compileOptions, problems);
      if (pipeline === undefined) continue;
      const earlier = seen.get(pipeline.id);
      if (earlier !== undefined) {
        problems.add(parsed.source, ['id'], `pipeline id '${pipeline.id}' is already defined in ${earlier}`);
        continue;
      }
      seen.set(pipeline.id, file);
      // A replaced pipeline's references go with it.
      references = references.filter((reference) => reference.from !== pipeline.id);
      pipelines.set(pipeline.id, pipeline);
      references.push(...found);
    }
  }
  link(pipelines, references, problems);
  problems.throwIfAny();
  return new PipelineSet(pipelines);
}

function link(pipelines: ReadonlyMap<string, Pipeline>, references: readonly PipelineReference[], problems: Problems): void {
  const ids = [...pipelines.keys()].sort();
  const edges = new Map<string, PipelineReference[]>();
  for (const reference of references) {
    const target = pipelines.get(reference.id);
    if (target === undefined) {
      problems.add(reference.source, [...reference.path, 'name'], `unknown pipeline '${reference.id}'; valid: ${ids.join(', ') || '(none)'}`);
      continue;
    }
    reference.handle.target = target;
    edges.set(reference.from, [...(edges.get(reference.from) ?? []), reference]);
  }
  // Depth-first search for cycles; each cycle is reported once, at the reference that closes it.
  const state = new Map<string, 'active' | 'done'>();
  const stack: PipelineReference[] = [];
  const visit = (id: string): void => {
    state.set(id, 'active');
    for (const reference of edges.get(id) ?? []) {
      const next = state.get(reference.id);
      if (next === 'active') {
        const start = stack.findIndex((item) => item.from === reference.id);
        const chain = [...stack.slice(start === -1 ? stack.length : start), reference].map((item) => item.from);
        problems.add(reference.source, [...reference.path, 'name'], `pipeline cycle: ${[...chain, reference.id].join(' -> ')}`);
      } else if (next === undefined) {
        stack.push(reference);
        visit(reference.id);
        stack.pop();
      }
    }
    state.set(id, 'done');
  };
  for (const id of ids) if (!state.has(id)) visit(id);
}

function checkedSampleRate(rate: number): number {
  if (!Number.isInteger(rate) || rate < 1 || (rate & (rate - 1)) !== 0) {
    throw new FaultlineError('FL_ERR_CONFIG_INVALID', `timing sample rate must be a power of two (1, 2, 4, ...), got ${rate}`);
  }
  return rate;
}

