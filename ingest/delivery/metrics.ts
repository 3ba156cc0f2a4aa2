/**
 * Ingest's internal events, counted per input (STYLE.md 8): received, stored, duplicate,
 * rejected, dropped, spooled, replayed, errors by stage, lag. One set of plain counters is the
 * truth; GET /api/inputs reads it as an object (`snapshot()`), GET /metrics through a prom-client
 * registry whose metrics collect from the same counters, so the two never disagree.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { JsonObject } from '../../core/event/types.ts';

/** Where an error happened, as Vector names the stages of a component. */
export type ErrorStage = 'receiving' | 'processing' | 'sending' | 'spooling' | 'checkpointing';
export const errorStages: readonly ErrorStage[] = ['receiving', 'processing', 'sending', 'spooling', 'checkpointing'];

/** Why records were dropped: `pipeline` (a drop processor, on purpose), `overload` (UDP while everything was full), `shutdown`. */
export type DropReason = 'pipeline' | 'overload' | 'shutdown';
export const dropReasons: readonly DropReason[] = ['pipeline', 'overload', 'shutdown'];

export const counterNames = ['received', 'stored', 'duplicate', 'rejected', 'spooled', 'replayed'] as const;
export type CounterName = (typeof counterNames)[number];

export class InputMetrics {
  readonly id: string;
  /** 'unknown' until the input registers (spool replay can count for an input before it starts). */
  type: string;
  readonly counts: Record<CounterName, number> = { received: 0, stored: 0, duplicate: 0, rejected: 0, spooled: 0, replayed: 0 };
  readonly dropped: Record<DropReason, number> = { pipeline: 0, overload: 0, shutdown: 0 };
  readonly errors: Record<ErrorStage, number> = { receiving: 0, processing: 0, sending: 0, spooling: 0, checkpointing: 0 };
  /** Records submitted and not yet acknowledged (in memory, or being written). */
  pending = 0;
  /** Receipt-to-acknowledgement time of the most recently acknowledged record. */
  lagMs = 0;
  lastAckAt: number | null = null;
  lastError: { stage: ErrorStage; message: string; at: string } | null = null;
  /** Source-specific status (files being read, connections, lag in bytes). */
  status: () => JsonObject = () => ({});

  constructor(id: string, type: string) {
    this.id = id;
    this.type = type;
  }

  count(name: CounterName, by = 1): void {
    this.counts[name] += by;
  }

  drop(reason: DropReason, by = 1): void {
    this.dropped[reason] += by;
  }

  error(stage: ErrorStage, message: string): void {
    this.errors[stage] += 1;
    this.lastError = { stage, message, at: new Date().toISOString() };
  }

  snapshot(): JsonObject {
    return {
      id: this.id,
      type: this.type,
      ...this.counts,
      dropped: { ...this.dropped },
      errors: { ...this.errors },
      pending: this.pending,
      lag_ms: this.lagMs,
      last_ack_at: this.lastAckAt === null ? null : new Date(this.lastAckAt).toISOString(),
      last_error: this.lastError,
      source: this.status(),
    };
  }
}

/** What the delivery layer reports about itself: queue and spool. */
export interface DeliveryGauges {
  queueEvents: number;
  queueBytes: number;
  spoolBytes: number;
  spoolSegments: number;
  storeAvailable: boolean;
}

export class IngestMetrics {
  readonly registry: Registry;
  readonly #inputs = new Map<string, InputMetrics>();
  #gauges: () => DeliveryGauges = () => ({ queueEvents: 0, queueBytes: 0, spoolBytes: 0, spoolSegments: 0, storeAvailable: true });

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    this.#register();
  }

  /** The metrics of one input, created on first use. */
  input(id: string, type: string): InputMetrics {
    let metrics = this.#inputs.get(id);
    if (!metrics) {
      metrics = new InputMetrics(id, type);
      this.#inputs.set(id, metrics);
    } else if (metrics.type === 'unknown') {
      metrics.type = type;
    }
    return metrics;
  }

  inputs(): InputMetrics[] {
    return [...this.#inputs.values()];
  }

  /** Delivery reports its queue and spool through this. */
  setDeliveryGauges(read: () => DeliveryGauges): void {
    this.#gauges = read;
  }

  /** The body of GET /api/inputs. */
  snapshot(): JsonObject {
    const gauges = this.#gauges();
    return {
      inputs: this.inputs().map((input) => input.snapshot()),
      delivery: {
        queue_events: gauges.queueEvents,
        queue_bytes: gauges.queueBytes,
        spool_bytes: gauges.spoolBytes,
        spool_segments: gauges.spoolSegments,
        store_available: gauges.storeAvailable,
      },
    };
  }

  /** The body of GET /metrics, in the Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #register(): void {
    const registers = [this.registry];
    const inputs = () => this.inputs();
    for (const name of counterNames) {
      new Counter({
        name: `faultline_ingest_events_${name}_total`,
        help: `Events ${name} per input`,
        labelNames: ['input', 'type'],
        registers,
        collect() {
          this.reset();
          for (const input of inputs()) this.inc({ input: input.id, type: input.type }, input.counts[name]);
        },
      });
    }
    new Counter({
      name: 'faultline_ingest_events_dropped_total',
      help: 'Events dropped per input and reason (pipeline: on purpose; overload: UDP while full; shutdown)',
      labelNames: ['input', 'type', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const input of inputs()) for (const reason of dropReasons) this.inc({ input: input.id, type: input.type, reason }, input.dropped[reason]);
      },
    });
    new Counter({
      name: 'faultline_ingest_errors_total',
      help: 'Errors per input and stage',
      labelNames: ['input', 'type', 'stage'],
      registers,
      collect() {
        this.reset();
        for (const input of inputs()) for (const stage of errorStages) this.inc({ input: input.id, type: input.type, stage }, input.errors[stage]);
      },
    });
    new Gauge({
      name: 'faultline_ingest_pending_events',
      help: 'Events submitted and not yet acknowledged, per input',
      labelNames: ['input', 'type'],
      registers,
      collect() {
        for (const input of inputs()) this.set({ input: input.id, type: input.type }, input.pending);
      },
    });
    new Gauge({
      name: 'faultline_ingest_lag_seconds',
      help: 'Receipt-to-acknowledgement time of the latest acknowledged event, per input',
      labelNames: ['input', 'type'],
      registers,
      collect() {
        for (const input of inputs()) this.set({ input: input.id, type: input.type }, input.lagMs / 1000);
      },
    });
    const gauges = () => this.#gauges();
    const deliveryGauge = (name: string, help: string, read: (value: DeliveryGauges) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(gauges()));
        },
      });
    deliveryGauge('faultline_ingest_queue_events', 'Events in the in-memory delivery queue', (value) => value.queueEvents);
    deliveryGauge('faultline_ingest_queue_bytes', 'Estimated bytes in the in-memory delivery queue', (value) => value.queueBytes);
    deliveryGauge('faultline_ingest_spool_bytes', 'Bytes in the disk spool waiting for the store', (value) => value.spoolBytes);
    deliveryGauge('faultline_ingest_spool_segments', 'Segment files in the disk spool', (value) => value.spoolSegments);
    deliveryGauge('faultline_ingest_store_available', '1 when the last store write succeeded', (value) => (value.storeAvailable ? 1 : 0));
  }
}
