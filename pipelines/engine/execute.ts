/**
 * Runs compiled steps over one event: conditions, failure marking, `ignore_failure`, `on_failure`,
 * counters and (for simulations) the tracer. This is the per-event hot path: no allocation unless
 * a processor fails or a tracer is attached.
 *
 * `compileSteps` turns a list of steps into one generated function that calls each step's
 * condition and run function from a call site of its own. A loop over the steps (`execute`, kept
 * for traced simulations) calls every processor from one site, which V8 sees as megamorphic: it
 * neither inlines nor calls directly there, and each call goes through the generic call builtin
 * (about a sixth of the json pipeline's time in a profile). The generated code holds only step indices;
 * the conditions, run functions and counters come in as values, never as text. Each list's code
 * ends with a `sourceURL` naming it (`json processors[12].group.processors`), which profiles
 * show, and which keeps two lists of the same shape from sharing code: V8 caches the functions
 * of identical source text together with their feedback, so the two would share call sites.
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

/** A compiled list of steps: runs them over the event with the semantics of `execute`. */
export type StepsRunner = (event: JsonObject, state: RunState) => Outcome;

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

/** Returned by `settle` when the list goes on after a step's outcome. */
const NEXT: unique symbol = Symbol('next');

interface Handler {
  readonly step: Step;
  readonly onFailure: StepsRunner | undefined;
}

type Settle = (handler: Handler, outcome: string | typeof DROP, event: JsonObject, state: RunState) => Outcome | typeof NEXT;

/** What a step's outcome other than `undefined` means (the untraced half of `execute`'s loop body). */
const settle: Settle = (handler, outcome, event, state) => {
  const step = handler.step;
  const counters = step.counters;
  if (outcome === DROP) {
    counters.dropped++;
    return DROP;
  }
  counters.failed++;
  if (step.ignoreFailure) return NEXT;
  const message = `${step.label}: ${outcome}`;
  markFailure(event, message);
  if (handler.onFailure === undefined) return message;
  const handled = handler.onFailure(event, state);
  return handled === undefined ? NEXT : handled;
};

const failure = (error: unknown): string => describeError(error) || 'unexpected error';

export interface StepsOptions {
  /** Processor times are extrapolated by this factor (the timing sample rate). */
  readonly timeScale: number;
  /** A group's processors: traced one level deeper than the list that holds the group. */
  readonly nested: boolean;
  /** Pipeline id and key path of the list, e.g. `syslog processors[2].group.processors`. */
  readonly name: string;
}

/** Tells apart lists compiled under the same name (a pipeline loaded again). */
let compiledLists = 0;

/** Compiles steps into one function with `execute`'s semantics. A traced run (a simulation) goes through `execute` itself. */
export function compileSteps(steps: readonly Step[], options: StepsOptions): StepsRunner {
  const { timeScale, nested } = options;
  const traced: StepsRunner = nested
    ? (event, state) => execute(steps, event, { tracer: state.tracer, depth: state.depth + 1, timed: state.timed }, timeScale)
    : (event, state) => execute(steps, event, state, timeScale);
  const handlers: Handler[] = steps.map((step) => ({
    step,
    onFailure: step.onFailure === undefined ? undefined : compileSteps(step.onFailure, { timeScale, nested: false, name: `${step.info.pipeline} ${step.info.path}.on_failure` }),
  }));
  const lines = [
    'const clock = performance;',
    ...steps.map((step, index) => `const r${index} = steps[${index}].run, k${index} = steps[${index}].counters, h${index} = handlers[${index}]${step.condition === undefined ? '' : `, c${index} = steps[${index}].condition`};`),
    'return function runSteps(event, state) {',
    '  if (state.tracer !== undefined) return traced(event, state);',
    '  const timed = state.timed;',
    '  let outcome, pass, started = 0;',
  ];
  steps.forEach((step, index) => {
    let indent = '  ';
    if (step.condition !== undefined) {
      lines.push(`  try { pass = c${index}(event); } catch { pass = false; }`, '  if (pass) {');
      indent = '    ';
    }
    lines.push(
      `${indent}if (timed) started = clock.now();`,
      `${indent}try { outcome = r${index}(event, state); } catch (error) { outcome = failure(error); }`,
      `${indent}k${index}.processed++;`,
      `${indent}if (timed) k${index}.timeMs += (clock.now() - started) * timeScale;`,
      `${indent}if (outcome !== undefined && (outcome = settle(h${index}, outcome, event, state)) !== NEXT) return outcome;`,
    );
    if (step.condition !== undefined) lines.push('  }');
  });
  // Only letters, digits and the key path's punctuation reach the comment.
  lines.push('  return undefined;', '};', `//# sourceURL=pipeline:${options.name.replace(/[^\w.[\]-]+/g, '_')}#${++compiledLists}`);
  const factory = new Function('steps', 'handlers', 'traced', 'settle', 'failure', 'timeScale', 'NEXT', lines.join('\n')) as (
    steps: readonly Step[],
    handlers: readonly Handler[],
    traced: StepsRunner,
    settle: Settle,
    failure: (error: unknown) => string,
    timeScale: number,
    next: typeof NEXT,
  ) => StepsRunner;
  return factory(steps, handlers, traced, settle, failure, timeScale, NEXT);
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
