/**
 * Delivery: one writer loop between every source and the store. Records queue in memory (bounded:
 * sources pause when it is full), leave in batches (by count, bytes or time), and each record's
 * acknowledgement fires once the store answered for it (stored, duplicate, or rejected, which the
 * store already dead-lettered). When the store is unavailable, batches go to the disk spool
 * instead and are acknowledged once durable there; a replay loop writes the spool back in order
 * when the store returns. While the spool holds anything, new batches queue behind it in the spool,
 * so the store sees batches in the order they were made.
 *
 * @example
 * const delivery = await Delivery.open({ store, dataDir, config: deliveryConfigSchema.parse({}) });
 * const input = delivery.input('app-logs', 'file', parse);
 * await input.ready();
 * input.submit(record, (outcome) => checkpoint.acknowledge(offset));
 * await delivery.close();
 */
import { describeError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import type { WriteOutcome, Store } from '../../store/contract.ts';
import type { Parse } from '../contract.ts';
import { ingestPaths } from '../data-dir.ts';
import type { DeliveryConfig } from './config.ts';
import { BatchEvents } from './batch.ts';
import { DeliveryInput, type DeliverySink, type Outcome, type Pending } from './input.ts';
import { IngestMetrics, type InputMetrics } from './metrics.ts';
import { BoundedQueue } from './queue.ts';
import { Spool } from './spool/spool.ts';
import { Wakeup } from './wakeup.ts';

export interface DeliveryOptions {
  store: Store;
  dataDir: string;
  config: DeliveryConfig;
  metrics?: IngestMetrics;
  logger?: Logger;
}

const FIRST_BACKOFF_MS = 100;

export class Delivery implements DeliverySink {
  readonly metrics: IngestMetrics;
  readonly #store: Store;
  readonly #config: DeliveryConfig;
  readonly #logger: Logger;
  readonly #spool: Spool;
  readonly #queue: BoundedQueue<Pending>;
  readonly #inputs = new Map<string, DeliveryInput>();
  readonly #writerWake = new Wakeup();
  readonly #replayWake = new Wakeup();
  #writer: Promise<void> = Promise.resolve();
  #replayer: Promise<void> | undefined;
  #inFlight = 0;
  /** When the newest record was queued: a partial batch is written once the sources are quiet (`flush_idle`). */
  #lastEnqueuedAt = 0;
  #idleWaiters: (() => void)[] = [];
  #closing = false;
  #giveUpAt = Number.POSITIVE_INFINITY;
  #storeAvailable = true;

  private constructor(options: DeliveryOptions, spool: Spool) {
    this.#store = options.store;
    this.#config = options.config;
    this.#logger = options.logger ?? silentLogger;
    this.#spool = spool;
    this.metrics = options.metrics ?? new IngestMetrics();
    this.#queue = new BoundedQueue({ maxEvents: options.config.queue_max_events, maxBytes: options.config.queue_max_bytes });
    this.metrics.setDeliveryGauges(() => ({
      queueEvents: this.#queue.length,
      queueBytes: this.#queue.bytes,
      spoolBytes: this.#spool.bytes,
      spoolSegments: this.#spool.segmentCount,
      storeAvailable: this.#storeAvailable,
    }));
  }

  /** Opens the spool (replaying what a previous run left in it) and starts the writer loop. */
  static async open(options: DeliveryOptions): Promise<Delivery> {
    const logger = options.logger ?? silentLogger;
    const spool = await Spool.open({
      dir: ingestPaths(options.dataDir).spool,
      maxBytes: options.config.spool.max_bytes,
      segmentBytes: options.config.spool.segment_bytes,
      logger,
    });
    const delivery = new Delivery(options, spool);
    if (!spool.isEmpty) {
      logger.info('replaying the spool left by a previous run', { bytes: spool.bytes, segments: spool.segmentCount });
      delivery.#startReplay();
    }
    delivery.#writer = delivery.#runWriter();
    return delivery;
  }

  /** The handle a source submits through; `parse` is the input's pipeline. */
  input(id: string, type: string, parse: Parse): DeliveryInput {
    let input = this.#inputs.get(id);
    if (!input) {
      input = new DeliveryInput(this.metrics.input(id, type), parse, this);
      this.#inputs.set(id, input);
    }
    return input;
  }

  get full(): boolean {
    return this.#queue.full;
  }

  get closing(): boolean {
    return this.#closing;
  }

  ready(): Promise<void> {
    return this.#closing ? Promise.resolve() : this.#queue.ready();
  }

  get storeAvailable(): boolean {
    return this.#storeAvailable;
  }

  enqueue(pending: Pending): void {
    const first = this.#queue.length === 0;
    this.#queue.push(pending);
    this.#lastEnqueuedAt = pending.enqueuedAt;
    if (first || this.#queue.length >= this.#config.batch_max_events || this.#queue.bytes >= this.#config.batch_max_bytes) {
      this.#writerWake.wake();
    }
  }

  /** Resolves once everything submitted so far is in the store or the spool. */
  flush(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    this.#writerWake.wake();
    return idle;
  }

  /**
   * Delivers or spools what is queued, then stops. If neither the store nor the spool can take a
   * batch within `timeoutMs`, its records stay unacknowledged (files re-read them after restart)
   * and are counted as dropped at shutdown. What the spool holds is replayed by the next run.
   */
  async close(timeoutMs = 30_000): Promise<void> {
    if (this.#closing) return this.#writer;
    this.#closing = true;
    this.#giveUpAt = Date.now() + timeoutMs;
    this.#queue.releaseAll();
    this.#writerWake.wake();
    await this.#writer;
    this.#replayWake.wake();
    await this.#replayer;
    await this.#spool.close();
  }

  async #runWriter(): Promise<void> {
    // Up to max_in_flight batches at once; acknowledgements may then come out of order, which
    // checkpoints allow (they advance over acknowledged prefixes only), and the spool is serial.
    const running = new Set<Promise<void>>();
    for (;;) {
      while (running.size >= this.#config.max_in_flight) await Promise.race(running);
      const batch = await this.#nextBatch();
      if (batch === null) break;
      this.#inFlight += batch.length;
      const job: Promise<void> = this.#deliver(batch).finally(() => {
        this.#inFlight -= batch.length;
        running.delete(job);
        if (this.#queue.length === 0) this.#notifyIdle();
      });
      running.add(job);
    }
    await Promise.all(running);
    this.#notifyIdle();
  }

  /** The next batch: full by count or bytes, or due by time, or whatever is left when flushing or closing. */
  async #nextBatch(): Promise<Pending[] | null> {
    const { batch_max_events: maxEvents, batch_max_bytes: maxBytes, flush_interval: interval, flush_idle: idle } = this.#config;
    for (;;) {
      const oldest = this.#queue.peek();
      if (!oldest) {
        if (this.#closing) return null;
        this.#notifyIdle();
        await this.#writerWake.wait();
        continue;
      }
      // A partial batch waits for more until its oldest record is flush_interval old, or until the
      // sources have been quiet for flush_idle: the end of a burst is written at once.
      const due = idle > 0 ? Math.min(oldest.enqueuedAt + interval, this.#lastEnqueuedAt + idle) : oldest.enqueuedAt + interval;
      if (this.#queue.length >= maxEvents || this.#queue.bytes >= maxBytes || this.#closing || this.#idleWaiters.length > 0 || Date.now() >= due) {
        return this.#queue.take(maxEvents, maxBytes);
      }
      await this.#writerWake.wait(due - Date.now());
    }
  }

  async #deliver(taken: Pending[]): Promise<void> {
    // The events are made as the store takes them, and not kept while it works: they live only as
    // long as the store needs them (Elasticsearch: until serialized). A batch the store could not
    // take is made again from its records, for the spool or the next attempt.
    const events = new BatchEvents(taken);
    let fresh = true;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      if (this.#spool.isEmpty && this.#replayer === undefined) {
        try {
          const source = fresh ? events : events.all();
          fresh = false;
          const outcomes = await this.#store.write(source);
          this.#storeUp();
          this.#settle(events.kept, outcomes);
          return;
        } catch (error) {
          this.#storeDown(error, taken.map((pending) => pending.input.metrics));
        }
      }
      try {
        const spooled = events.all();
        fresh = false;
        const { kept } = events;
        if (kept.length === 0) return;
        if (await this.#spool.append({ inputs: kept.map((pending) => pending.input.id), events: spooled })) {
          for (const pending of kept) {
            pending.input.metrics.count('spooled');
            this.#acknowledge(pending, { status: 'spooled' });
          }
          this.#startReplay();
          return;
        }
      } catch (error) {
        for (const input of new Set(taken.map((pending) => pending.input.metrics))) input.error('spooling', describeError(error));
        this.#logger.error('the spool cannot be written', { error: describeError(error) });
      }
      if (this.#closing && Date.now() >= this.#giveUpAt) {
        // Every record not acknowledged yet: those kept, and any the pipeline never saw.
        const left = events.all();
        for (const pending of events.kept) {
          pending.input.metrics.drop('shutdown');
          pending.input.metrics.pending--;
        }
        this.#logger.error('shutting down with events neither in the store nor in the spool; file sources re-read them on restart', { events: left.length });
        return;
      }
      await this.#writerWake.wait(backoff);
      backoff = Math.min(backoff * 2, this.#config.retry_max_backoff);
    }
  }

  #settle(batch: Pending[], outcomes: WriteOutcome[]): void {
    // One clock reading for the batch, and shared outcomes for stored and duplicate events:
    // settling a batch makes no object per event.
    const now = Date.now();
    for (let index = 0; index < batch.length; index++) {
      const pending = batch[index] as Pending;
      const outcome = outcomes[index];
      if (!outcome) {
        pending.input.metrics.error('sending', 'the store answered fewer outcomes than events');
        this.#acknowledge(pending, { status: 'rejected', reason: 'the store gave no outcome for this event' }, now);
        continue;
      }
      pending.input.metrics.count(outcome.status);
      this.#acknowledge(pending, outcome.status === 'rejected' ? { status: 'rejected', reason: outcome.reason } : outcome, now);
    }
  }

  #acknowledge(pending: Pending, outcome: Outcome, now = Date.now()): void {
    const input = pending.input.metrics;
    input.pending--;
    input.lagMs = now - pending.receivedAt;
    input.lastAckAt = now;
    try {
      pending.ack?.(outcome);
    } catch (error) {
      input.error('checkpointing', describeError(error));
    }
  }

  #startReplay(): void {
    if (this.#replayer !== undefined) return;
    this.#replayer = this.#runReplay().finally(() => {
      this.#replayer = undefined;
      // An append may have landed after the last peek found nothing.
      if (!this.#spool.isEmpty && !this.#closing) this.#startReplay();
    });
  }

  /** Writes spooled batches to the store, oldest first, until the spool is empty or delivery closes. */
  async #runReplay(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    const inputs = (ids: string[]) => ids.map((id) => this.metrics.input(id, 'unknown'));
    while (!this.#closing) {
      const entry = await this.#spool.peek();
      if (!entry) return;
      try {
        const outcomes = await this.#store.write(entry.events);
        this.#storeUp();
        const owners = inputs(entry.inputs);
        outcomes.forEach((outcome, index) => {
          const owner = owners[index];
          owner?.count(outcome.status);
          owner?.count('replayed');
        });
        await this.#spool.advance();
        backoff = FIRST_BACKOFF_MS;
      } catch (error) {
        this.#storeDown(error, inputs([...new Set(entry.inputs)]));
        await this.#replayWake.wait(backoff);
        backoff = Math.min(backoff * 2, this.#config.retry_max_backoff);
      }
    }
  }

  #storeUp(): void {
    if (!this.#storeAvailable) this.#logger.info('the store is writable again');
    this.#storeAvailable = true;
  }

  #storeDown(error: unknown, inputs: InputMetrics[]): void {
    const message = describeError(error);
    for (const input of new Set(inputs)) input.error('sending', message);
    if (this.#storeAvailable) this.#logger.warn('the store cannot be written; spooling to disk', { error: message });
    this.#storeAvailable = false;
  }

  #notifyIdle(): void {
    if (this.#queue.length > 0 || this.#inFlight > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
