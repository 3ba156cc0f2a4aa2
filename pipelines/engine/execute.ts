/**
 * Runs compiled steps over one event: conditions, failure marking, `ignore_failure`, `on_failure`,
 * counters and (for simulations) the tracer. This is the per-event hot path: no allocation unless
 * a processor fails or a tracer is attached.
 */
import { describeError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/event/types.ts';
import type { Condition } from './expression/compile.ts';
import { DROP, type Outcome, type ProcessorRun, type RunState, type StepInfo } from './contract.ts';

export const PIPELINE_ERROR_TAG = '_pipeline_error';

export interface StepCounters {
  /** Times the processor ran (its condition held). */
  processed: number;
  failed: number;
  dropped: number;
  /** Milliseconds spent, extrapolated from the sampled events. */
  timeMs: number;
}

export interface Step {
  readonly info: StepInfo;
  /** `type` or `type[tag]`, as error messages name the processor. */
  readonly label: string;
  readonly condition: Condition | undefined;
  readonly run: ProcessorRun;
  readonly ignoreFailure: boolean;
  readonly onFailure: readonly Step[] | undefined;
  /** Processors nested in this one (`group`), for metrics. */
  readonly children: readonly Step[] | undefined;
  readonly counters: StepCounters;
}

/**
 * Runs the steps in order. A failure that is not ignored marks the event (`error.message`, tag
 * `_pipeline_error`), then runs the step's `on_failure` and goes on, or, without one, stops and
 * returns the message so that the pipeline's own `on_failure` can run.
 */
export function execute(steps: readonly Step[], event: JsonObject, state: RunState, timeScale: number): Outcome {
  const tracer = state.tracer;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index] as Step;
    if (step.condition !== undefined && !safeCondition(step.condition, event)) {
      if (tracer !== undefined) tracer.skip(step.info, state.depth);
      continue;
    }
    if (tracer !== undefined) tracer.enter(step.info, event, state.depth);
    const started = state.timed || tracer !== undefined ? performance.now() : 0;
    let outcome: Outcome;
    try {
      outcome = step.run(event, state);
    } catch (error) {
      // A processor bug or an unexpected input must not lose the event: it becomes a failure.
      outcome = describeError(error) || 'unexpected error';
    }
    const counters = step.counters;
    counters.processed++;
    const elapsed = started === 0 ? 0 : performance.now() - started;
    if (state.timed) counters.timeMs += elapsed * timeScale;
    if (outcome === undefined) {
      if (tracer !== undefined) tracer.leave(step.info, event, 'ok', undefined, elapsed);
      continue;
    }
    if (outcome === DROP) {
      counters.dropped++;
      if (tracer !== undefined) tracer.leave(step.info, event, 'dropped', undefined, elapsed);
      return DROP;
    }
    counters.failed++;
    const message = `${step.label}: ${outcome}`;
    if (step.ignoreFailure) {
      if (tracer !== undefined) tracer.leave(step.info, event, 'ignored_failure', message, elapsed);
      continue;
    }
    markFailure(event, message);
    if (tracer !== undefined) tracer.leave(step.info, event, 'failed', message, elapsed);
    if (step.onFailure === undefined) return message;
    const handled = execute(step.onFailure, event, state, timeScale);
    if (handled !== undefined) return handled;
  }
  return undefined;
}

function safeCondition(condition: Condition, event: JsonObject): boolean {
  try {
    return condition(event);
  } catch {
    return false;
  }
}

/** Records a failure on the event: `error.message` and the `_pipeline_error` tag. */
export function markFailure(event: JsonObject, message: string): void {
  const error = event['error'];
  if (error !== null && typeof error === 'object' && !Array.isArray(error)) error['message'] = message;
  else event['error'] = { message };
  const tags = event['tags'];
  if (Array.isArray(tags)) {
    if (!tags.includes(PIPELINE_ERROR_TAG)) tags.push(PIPELINE_ERROR_TAG);
  } else if (typeof tags === 'string') {
    event['tags'] = tags === PIPELINE_ERROR_TAG ? [tags] : [tags, PIPELINE_ERROR_TAG];
  } else {
    event['tags'] = [PIPELINE_ERROR_TAG];
  }
}
