/**
 * The pipelines' public surface: load pipelines (built-ins first, then users' directories), get
 * one by id, run it on raw lines or JSON objects, and simulate it with a per-processor trace.
 *
 *   const pipelines = loadConfiguredPipelines(config.pipelines.dir);
 *   const event = pipelines.get('syslog').run('Jun 14 15:16:01 combo sshd[19939]: ...', { 'log.file.path': '/var/log/messages' });
 *   const [result] = simulate(pipelines.get('syslog'), ['Jun 14 15:16:01 combo ...']);
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPipelineDirectories, loadPipelineTexts, readPipelineDirectory, type LoadOptions, type PipelineText } from './engine/load/loader.ts';
import type { PipelineSet } from './engine/load/pipeline-set.ts';
import type { Pipeline } from './engine/pipeline.ts';
import { processors } from './processors/registry.ts';
import { projectFile } from '../core/paths.ts';

export type { PipelineSet } from './engine/load/pipeline-set.ts';
export type { Pipeline, PipelineInput, PipelineMetrics, ProcessorMetrics, SourceContext } from './engine/pipeline.ts';
export type { SimulationResult, TraceEntry } from './engine/simulate.ts';
export type { PipelineText } from './engine/load/loader.ts';
export { simulate } from './engine/simulate.ts';
export { PIPELINE_ERROR_TAG } from './engine/execute.ts';
export { processors, type ProcessorName } from './processors/registry.ts';
export { grokPatterns } from './processors/grok/patterns.ts';

export interface PipelineOptions extends Omit<LoadOptions, 'registry'> {
  /** Directories of `*.yaml` pipeline files, in order: a later one may replace an id of an earlier one. */
  readonly directories: readonly string[];
}

/** Loads and compiles the pipelines of the directories; FL_ERR_PIPELINE_INVALID lists every problem with file:line:col. */
export function loadPipelines(options: PipelineOptions): PipelineSet {
  return loadPipelineDirectories(options.directories, { ...options, registry: processors });
}

/** The same from texts (one group per directory), for tests and for pipelines posted to the API. */
export function loadPipelinesFromText(groups: readonly (readonly PipelineText[])[], options: Omit<LoadOptions, 'registry'> = {}): PipelineSet {
  return loadPipelineTexts(groups, { ...options, registry: processors });
}

/** The built-in pipelines, one `<id>.yaml` each (DESIGN.md section 2), and their fixtures. */
export const BUILTIN_DIRECTORY = projectFile('pipelines', 'builtin');
export const BUILTIN_FIXTURES_DIRECTORY = join(BUILTIN_DIRECTORY, 'fixtures');

export interface ConfiguredOptions extends Omit<LoadOptions, 'registry'> {
  /** Told when the user's directory does not exist (then only the built-ins load). */
  readonly onMissingDirectory?: (directory: string) => void;
  /** Pipeline texts loaded last, beside the others (inline fixture pipelines, pipelines posted to the API). */
  readonly extra?: readonly PipelineText[];
}

/**
 * The built-ins, then the user's directory (`pipelines.dir` of faultline.yaml): a user file with a
 * built-in's id replaces the built-in. A directory that does not exist is skipped (the default
 * `./pipelines` need not exist); one that exists but cannot be read is an error.
 */
export function loadConfiguredPipelines(userDirectory: string | undefined, options: ConfiguredOptions = {}): PipelineSet {
  const directories = [BUILTIN_DIRECTORY];
  if (userDirectory !== undefined) {
    if (existsSync(userDirectory)) directories.push(userDirectory);
    else options.onMissingDirectory?.(userDirectory);
  }
  const groups = directories.map(readPipelineDirectory);
  if (options.extra !== undefined && options.extra.length > 0) groups.push([...options.extra]);
  return loadPipelineTexts(groups, { ...options, registry: processors });
}

/** Whether a loaded pipeline is a built-in one (a user file with its id replaces it, and is not). */
export function isBuiltin(pipeline: Pipeline): boolean {
  return dirname(pipeline.file) === BUILTIN_DIRECTORY;
}
