/**
 * A compiled pipeline: runs raw lines or JSON objects through its processors and keeps its
 * counters. Built by the loader (load/loader.ts); never constructed from unvalidated config.
 */
import { eventWithSharedContext, mergeSharedContext } from '../../core/event/context.ts';
import { copyJson, isPlainObject, type JsonObject } from '../../core/event/types.ts';
import { DROP, type Outcome, type PipelineHandle, type RunState } from './contract.ts';
import { compileSteps, type Step, type StepCounters, type StepsRunner } from './execute.ts';
import { fieldPath } from './field-path.ts';

/**
 * Where an event comes from besides its text, merged in before the processors run: nested ECS
 * objects (`{log: {file: {path}}}`, as ingest's records carry it) or dotted paths
 * (`{'log.file.path': ...}`). Fields the input already has win.
 */
export type SourceContext = Readonly<JsonObject>;

export type PipelineInput = string | JsonObject;

export interface ProcessorMetrics {
  /** Key path in the pipeline file, e.g. `processors[2]`. */
  path: string;
  type: string;
  tag: string | undefined;
  processed: number;
  failed: number;
  dropped: number;
  time_us: number;
}

export interface PipelineMetrics {
  pipeline: string;
  processed: number;
  failed: number;
  dropped: number;
  time_us: number;
  processors: ProcessorMetrics[];
}

export interface PipelineSettings {
  readonly id: string;
  readonly description: string | undefined;
  readonly file: string;
  /** Copy the raw line into `event.original` (ECS, opt-in). */
  readonly keepOriginal: boolean;
  readonly steps: readonly Step[];
  readonly onFailure: readonly Step[] | undefined;
  /** Time one event in this many (a power of two); processor times are extrapolated. */
  readonly timingSampleRate: number;
}

export class Pipeline implements PipelineHandle {
  readonly id: string;
  readonly description: string | undefined;
  readonly file: string;
  readonly keepOriginal: boolean;
  readonly steps: readonly Step[];
  readonly onFailure: readonly Step[] | undefined;
  private readonly counters: StepCounters = { processed: 0, failed: 0, dropped: 0, timeMs: 0 };
  private readonly runSteps: StepsRunner;
  private readonly runOnFailure: StepsRunner | undefined;
  private readonly sampleMask: number;
  private readonly timeScale: number;
  private readonly timedState: RunState;
  private readonly untimedState: RunState;
  private sequence = 0;

  constructor(settings: PipelineSettings) {
    this.id = settings.id;
    this.description = settings.description;
    this.file = settings.file;
    this.keepOriginal = settings.keepOriginal;
    this.steps = settings.steps;
    this.onFailure = settings.onFailure;
    this.sampleMask = settings.timingSampleRate - 1;
    this.timeScale = settings.timingSampleRate;
    this.runSteps = compileSteps(settings.steps, { timeScale: this.timeScale, nested: false, name: `${settings.id} processors` });
    this.runOnFailure = settings.onFailure === undefined ? undefined : compileSteps(settings.onFailure, { timeScale: this.timeScale, nested: false, name: `${settings.id} on_failure` });
    this.timedState = { tracer: undefined, depth: 0, timed: true };
    this.untimedState = { tracer: undefined, depth: 0, timed: false };
  }

  /**
   * Runs one input: a raw line becomes `{message: line}` (a trailing CR is cut), an object is used
   * as it is (and modified in place). Returns the event, or null when a `drop` processor dropped it.
   * A failed event is returned too, with `error.message` and the `_pipeline_error` tag.
   */
  run(input: PipelineInput, context?: SourceContext): JsonObject | null {
    const event = this.prepare(input, context);
    const state = (this.sequence++ & this.sampleMask) === 0 ? this.timedState : this.untimedState;
    return this.execute(event, state) === DROP ? null : event;
  }

  /** The event a raw line or object becomes before the first processor. */
  prepare(input: PipelineInput, context?: SourceContext): JsonObject {
    let event: JsonObject;
    if (typeof input === 'string') {
      const line = input.endsWith('\r') ? input.slice(0, -1) : input;
      if (this.keepOriginal) {
        event = { message: line, event: { original: line } };
      } else {
        // A shared context (a syslog connection's) makes the whole event in one literal.
        const made = context === undefined ? undefined : eventWithSharedContext(line, context);
        if (made !== undefined) return made;
        event = { message: line };
      }
    } else {
      event = input;
    }
    // A shared context (a syslog connection's) is copied by the function made for it.
    if (context !== undefined && !mergeSharedContext(event, context)) mergeContext(event, context);
    return event;
  }

  /** Runs the processors and the pipeline's `on_failure`; also the entry point of the `pipeline` processor. */
  execute(event: JsonObject, state: RunState): Outcome {
    const started = state.timed ? performance.now() : 0;
    let outcome = this.runSteps(event, state);
    const counters = this.counters;
    counters.processed++;
    if (typeof outcome === 'string') {
      counters.failed++;
      // The pipeline's on_failure handles the failure: the event stays marked, callers go on.
      if (this.runOnFailure !== undefined) outcome = this.runOnFailure(event, state);
    }
    if (outcome === DROP) counters.dropped++;
    if (state.timed) counters.timeMs += (performance.now() - started) * this.timeScale;
    return outcome;
  }

  metrics(): PipelineMetrics {
    const processors: ProcessorMetrics[] = [];
    const collect = (steps: readonly Step[] | undefined): void => {
      for (const step of steps ?? []) {
        const { processed, failed, dropped, timeMs } = step.counters;
        processors.push({ path: step.info.path, type: step.info.type, tag: step.info.tag, processed, failed, dropped, time_us: Math.round(timeMs * 1000) });
        collect(step.children);
        collect(step.onFailure);
      }
    };
    collect(this.steps);
    collect(this.onFailure);
    const { processed, failed, dropped, timeMs } = this.counters;
    return { pipeline: this.id, processed, failed, dropped, time_us: Math.round(timeMs * 1000), processors };
  }
}

/** Copies the context into the event without replacing what is there; objects are copied, never shared between events. */
function mergeContext(event: JsonObject, context: Readonly<JsonObject>): void {
  for (const key in context) {
    const value = context[key];
    if (value === undefined) continue;
    if (key.includes('.') && key !== '@timestamp') {
      const path = fieldPath(key);
      if (path.get(event) === undefined) path.set(event, copyJson(value));
      continue;
    }
    const existing = event[key];
    if (existing === undefined) event[key] = copyJson(value);
    else if (isPlainObject(existing) && isPlainObject(value)) mergeContext(existing, value);
  }
}
