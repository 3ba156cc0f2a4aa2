/**
 * The ingest contracts: what a source emits (a raw record with its final `event.id`), how a
 * pipeline turns it into an event (`Parse`), and what a source is to the process that runs it.
 * Sources depend on these and on delivery's input handle, never on each other.
 */
import type { JsonObject } from '../core/event/types.ts';

/**
 * One unit a source read: a line (or assembled multiline event), a syslog message, or a JSON
 * object. `id` is the event id, fixed here and kept through parsing, spooling and retries.
 */
export interface RawRecord {
  id: string;
  /** The raw text (a log line, a syslog message) when the source read text. */
  text: string | undefined;
  /** The object when the source read JSON (NDJSON line, JSON array element, HTTP event). */
  object: JsonObject | undefined;
  /**
   * Where it came from, as nested ECS fields: `{log: {file: {path}, offset}, host: {name}}`. A
   * source may hand the same context to many records (a syslog connection does): it is read-only,
   * and a parse copies what it takes into the event.
   */
  context: Readonly<JsonObject>;
  /** Epoch milliseconds when the source read it. */
  receivedAt: number;
  /** Tags the source adds, e.g. `_truncated`. */
  tags?: string[];
}

/**
 * A pipeline as delivery sees it: record in, event out. `null` means the pipeline dropped the
 * event on purpose (a `drop` processor); it is acknowledged and counted as dropped. A throw is a
 * pipeline failure: delivery keeps the event, tagged `_pipeline_error` (never dropped silently).
 */
export type Parse = (record: RawRecord) => JsonObject | null;

/** Resolves a pipeline id to its Parse; throws a FaultlineError naming the valid ids when unknown. */
export type ParseResolver = (pipelineId: string | undefined) => Parse;

/** A source of records, as the process that runs it sees it. */
export interface Source {
  readonly id: string;
  readonly type: string;
  start(): Promise<void>;
  /** Stops reading and listening. Records already submitted are still delivered and acknowledged. */
  stop(): Promise<void>;
  /** After delivery drained: writes final checkpoints and releases everything. */
  close(): Promise<void>;
  /** Source-specific status for GET /api/inputs (files being read, connections, ...). */
  status(): JsonObject;
}
