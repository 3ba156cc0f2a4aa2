/**
 * The processor contract: a processor is a zod options schema plus a compile function that turns
 * validated options into a run function. Run functions mutate the event in place and report how it
 * went with their return value, never by throwing on the per-event path (throwing costs a stack
 * capture per event; an unexpected throw is still caught and treated as a failure). Run functions
 * read the options they need into constants when compiled: the code of a run function is shared
 * by every instance of its processor, whose option objects differ in shape, so an option read per
 * event is a megamorphic property lookup.
 */
import type { z } from 'zod';
import type { JsonObject } from '../../core/event/types.ts';

/** Returned by a run function to drop the event deliberately (the `drop` processor). */
export const DROP: unique symbol = Symbol('drop');

/** `undefined`: done; a string: failed, with this message; `DROP`: the event is dropped. */
export type Outcome = undefined | string | typeof DROP;

/** Per-run state threaded through nested pipelines (the tracer of a simulation, the call depth). */
export interface RunState {
  readonly tracer: Tracer | undefined;
  readonly depth: number;
  /** Whether this event is one of the sampled ones whose processor times are measured. */
  readonly timed: boolean;
}

export type ProcessorRun = (event: JsonObject, state: RunState) => Outcome;

/** What a nested pipeline exposes to the `pipeline` processor. */
export interface PipelineHandle {
  readonly id: string;
  /** Runs the pipeline's processors on the event; same outcome shape as a processor. */
  execute(event: JsonObject, state: RunState): Outcome;
}

/** A nested list of processors (the `group` processor), compiled with the pipeline. */
export interface NestedSteps {
  /** Runs the processors one level deeper; a failure that is not ignored stops them and is returned. A plain function (no `this`). */
  readonly execute: (event: JsonObject, state: RunState) => Outcome;
}

export interface CompileContext {
  /** The reference "now" in epoch ms, for year inference of dates that carry no year. */
  readonly now: () => number;
  /** Longest text a regular expression is run on; longer input fails the processor. */
  readonly maxInputLength: number;
  /** A handle to another pipeline; resolved after every pipeline has loaded (ids checked, cycles refused). */
  pipeline(id: string): PipelineHandle;
  /** Compiles nested processors; `path` is relative to the options (`['processors']`), problems are reported there. */
  steps(items: readonly unknown[], path: readonly (string | number)[]): NestedSteps;
}

/**
 * Thrown at compile time for an option that validates against the schema but cannot be used
 * (an unknown grok pattern, an unsafe regular expression); `path` is relative to the options.
 */
export class OptionError extends Error {
  readonly path: readonly (string | number)[];

  constructor(path: readonly (string | number)[], message: string) {
    super(message);
    this.name = 'OptionError';
    this.path = path;
  }
}

/**
 * A processor type. `schema` holds only the processor's own options; the engine adds the common
 * ones (`if`, `ignore_failure`, `on_failure`, `tag`, `description`) and rejects unknown keys.
 */
export interface ProcessorDefinition<Schema extends z.ZodObject = z.ZodObject> {
  readonly description: string;
  readonly schema: Schema;
  compile(options: z.output<Schema>, context: CompileContext): ProcessorRun;
}

/** Keeps a processor module's option types inferred from its schema. */
export function defineProcessor<Schema extends z.ZodObject>(definition: ProcessorDefinition<Schema>): ProcessorDefinition<Schema> {
  return definition;
}

/** Receives what a simulation needs to build its trace; absent on the normal path. */
export interface Tracer {
  enter(step: StepInfo, event: JsonObject, depth: number): void;
  leave(step: StepInfo, event: JsonObject, status: StepStatus, error: string | undefined, elapsedMs: number): void;
  skip(step: StepInfo, depth: number): void;
}

export type StepStatus = 'ok' | 'failed' | 'ignored_failure' | 'dropped' | 'skipped';

/** Identity of one compiled processor, for traces, metrics and error messages. */
export interface StepInfo {
  readonly pipeline: string;
  readonly type: string;
  readonly tag: string | undefined;
  /** Key path in the pipeline file, e.g. `processors[2].on_failure[0]`. */
  readonly path: string;
}
