/**
 * The pipelines' public surface: load pipelines (built-ins first, then users' directories), get
 * one by id, run it on raw lines or JSON objects, and simulate it with a per-processor trace.
 *
 *   const pipelines = loadPipelines({ directories: [builtinDir, './pipelines'] });
 *   const event = pipelines.get('syslog').run('Jun 14 15:16:01 combo sshd[19939]: ...', { 'log.file.path': '/var/log/messages' });
 *   const [result] = simulate(pipelines.get('syslog'), ['Jun 14 15:16:01 combo ...']);
 */
import { loadPipelineDirectories, loadPipelineTexts, type LoadOptions, type PipelineText } from './engine/load/loader.ts';
import type { PipelineSet } from './engine/load/pipeline-set.ts';
import { processors } from './processors/registry.ts';

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

/** Loads and compiles the pipelines of the directories; FL_ERR_CONFIG_INVALID lists every problem with file:line:col. */
export function loadPipelines(options: PipelineOptions): PipelineSet {
  return loadPipelineDirectories(options.directories, { ...options, registry: processors });
}

/** The same from texts (one group per directory), for tests and for pipelines posted to the API. */
export function loadPipelinesFromText(groups: readonly (readonly PipelineText[])[], options: Omit<LoadOptions, 'registry'> = {}): PipelineSet {
  return loadPipelineTexts(groups, { ...options, registry: processors });
}
