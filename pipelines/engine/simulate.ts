/**
 * Simulation: runs inputs through a pipeline and records, per processor, what it added, changed
 * and removed, its status and its time in microseconds. For the simulate API and `faultline
 * pipeline simulate`; it copies the event before each processor, so it is slow by design.
 */
import { leafFields, type JsonObject, type JsonValue } from '../../core/event/types.ts';
import { DROP, type StepInfo, type StepStatus, type Tracer } from './contract.ts';
import type { Pipeline, PipelineInput, SourceContext } from './pipeline.ts';

export interface TraceEntry {
  pipeline: string;
  processor: string;
  tag?: string;
  /** Key path in the pipeline file, e.g. `processors[2].grok.on_failure[0]`. */
  path: string;
  /** 0 for the simulated pipeline, 1 inside a pipeline it calls, and so on. */
  depth: number;
  status: StepStatus;
  error?: string;
  added?: Record<string, JsonValue>;
  changed?: Record<string, { from: JsonValue; to: JsonValue }>;
  removed?: string[];
  time_us?: number;
}

export interface SimulationResult {
  /** The resulting event, or null when it was dropped. */
  event: JsonObject | null;
  trace: TraceEntry[];
  /** The failure that stopped the pipeline (also in the event's `error.message`), or null. */
  error: string | null;
}

/** Simulates each input; objects are copied, never modified. */
export function simulate(pipeline: Pipeline, inputs: readonly PipelineInput[], context?: SourceContext): SimulationResult[] {
  return inputs.map((input) => {
    const event = pipeline.prepare(typeof input === 'string' ? input : structuredClone(input), context);
    const tracer = new TraceRecorder();
    const outcome = pipeline.execute(event, { tracer, depth: 0, timed: false });
    // The last failure that was not ignored, even when an on_failure handled it: the event carries it.
    return { event: outcome === DROP ? null : event, trace: tracer.entries, error: tracer.lastFailure ?? (typeof outcome === 'string' ? outcome : null) };
  });
}

class TraceRecorder implements Tracer {
  readonly entries: TraceEntry[] = [];
  /** The message of the failure that finished last (an outer `pipeline` step finishes after its inner one). */
  lastFailure: string | undefined;
  private readonly open: { entry: TraceEntry; before: Map<string, JsonValue> }[] = [];

  enter(step: StepInfo, event: JsonObject, depth: number): void {
    const entry: TraceEntry = { pipeline: step.pipeline, processor: step.type, path: step.path, depth, status: 'ok' };
    if (step.tag !== undefined) entry.tag = step.tag;
    this.entries.push(entry);
    this.open.push({ entry, before: flatten(event) });
  }

  leave(_step: StepInfo, event: JsonObject, status: StepStatus, error: string | undefined, elapsedMs: number): void {
    const frame = this.open.pop();
    if (frame === undefined) return;
    const { entry, before } = frame;
    entry.status = status;
    if (error !== undefined) entry.error = error;
    if (status === 'failed') this.lastFailure = error;
    const after = flatten(event);
    const added: Record<string, JsonValue> = {};
    const changed: Record<string, { from: JsonValue; to: JsonValue }> = {};
    const removed: string[] = [];
    for (const [path, value] of after) {
      if (!before.has(path)) added[path] = value;
      else if (!same(before.get(path) as JsonValue, value)) changed[path] = { from: before.get(path) as JsonValue, to: value };
    }
    for (const path of before.keys()) if (!after.has(path)) removed.push(path);
    if (Object.keys(added).length > 0) entry.added = added;
    if (Object.keys(changed).length > 0) entry.changed = changed;
    if (removed.length > 0) entry.removed = removed;
    entry.time_us = Math.round(elapsedMs * 1000 * 10) / 10;
  }

  skip(step: StepInfo, depth: number): void {
    const entry: TraceEntry = { pipeline: step.pipeline, processor: step.type, path: step.path, depth, status: 'skipped' };
    if (step.tag !== undefined) entry.tag = step.tag;
    this.entries.push(entry);
  }
}

/** Leaves as copies, so later changes to the event do not alter the snapshot. */
function flatten(event: JsonObject): Map<string, JsonValue> {
  const map = new Map<string, JsonValue>();
  for (const [path, value] of leafFields(event)) map.set(path, Array.isArray(value) ? structuredClone(value) : value);
  return map;
}

function same(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
