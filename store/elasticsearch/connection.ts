/**
 * The client and its lifecycle: the index template and state index are installed in the
 * background, retried with backoff for as long as Elasticsearch is unreachable (one log line per
 * attempt), and operations wait for that installation before they run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import { FaultlineError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { StoreHealth } from '../contract.ts';
import { BulkAnswerSerializer } from './bulk.ts';
import { clientOptions, displayUrls, type ElasticsearchConfig } from './config.ts';
import { classify, describeFailure, type Failure } from './errors.ts';
import { eventsTemplate, indexNames, stateIndex, type IndexNames } from './mapping.ts';

/** Seconds between installation attempts: quick at first, then every 30 s. */
const RETRY_DELAYS_S = [1, 2, 5, 10, 20, 30];
const HEALTH_TIMEOUT_MS = 5000;

type State = 'installing' | 'ready' | 'closed';

export class Connection {
  readonly client: Client;
  readonly names: IndexNames;
  readonly config: ElasticsearchConfig;
  readonly logger: Logger;
  /** The URLs without credentials, for logs and health. */
  readonly where: string;
  private state: State = 'installing';
  private failure: Failure | undefined;
  private readonly installed: Promise<void>;
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private readonly watchers = new Set<() => void>();
  private readonly stop = new AbortController();

  constructor(config: ElasticsearchConfig, logger: Logger) {
    this.config = config;
    this.logger = logger;
    this.names = indexNames(config.index_prefix);
    this.where = displayUrls(config).join(',');
    this.client = new Client({ ...clientOptions(config), Serializer: BulkAnswerSerializer });
    this.installed = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // ready() may never be awaited (a store closed before it was ready); that is no error.
    this.installed.catch(() => undefined);
  }

  /** Starts the background installation; returns at once. */
  start(): void {
    void this.install();
  }

  /** Resolves once the template and the state index are in place; rejects if closed first. */
  ready(): Promise<void> {
    return this.installed;
  }

  /**
   * Waits for installation up to the request timeout. Fails at once when the store is closed or
   * Elasticsearch refused the credentials, since waiting cannot help then.
   */
  async whenReady(operation: string): Promise<void> {
    if (this.state === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: FaultlineError) => {
        clearTimeout(timer);
        this.watchers.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (this.state === 'ready') done();
        else if (this.state === 'closed') done(this.unavailable(operation, 'the store is closed'));
        else if (this.failure?.kind === 'auth') done(this.unavailable(operation, describeFailure(this.failure)));
      };
      const timer = setTimeout(() => {
        const why = this.failure ? describeFailure(this.failure) : `Elasticsearch at ${this.where} did not answer`;
        done(this.unavailable(operation, `${why}; gave up after ${this.config.request_timeout_ms} ms`));
      }, this.config.request_timeout_ms);
      this.watchers.add(check);
      check();
    });
  }

  async health(): Promise<StoreHealth> {
    if (this.state === 'closed') return { backend: 'elasticsearch', status: 'unavailable', detail: 'the store is closed' };
    if (this.state !== 'ready') {
      const detail = this.failure ? describeFailure(this.failure) : `connecting to Elasticsearch at ${this.where}`;
      return { backend: 'elasticsearch', status: 'unavailable', detail };
    }
    let cluster = 'cluster health unknown (no monitor privilege)';
    try {
      const answer = await this.client.cluster.health({}, { requestTimeout: Math.min(HEALTH_TIMEOUT_MS, this.config.request_timeout_ms), maxRetries: 0 });
      cluster = `cluster ${answer.cluster_name} ${answer.status}`;
    } catch (error) {
      const failure = classify(error);
      // A 403 means a key without the `monitor` privilege: reachable and authenticated all the same.
      if (!(failure.kind === 'auth' && failure.status === 403)) {
        return { backend: 'elasticsearch', status: 'unavailable', detail: describeFailure(failure) };
      }
    }
    return { backend: 'elasticsearch', status: 'ok', detail: `Elasticsearch at ${this.where} (${cluster}), indices ${this.names.eventsPattern}` };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stop.abort();
    this.settle?.reject(this.unavailable('waiting for Elasticsearch', 'the store was closed before Elasticsearch was ready'));
    this.notify();
    await this.client.close();
  }

  /** Runs `task` every `intervalMs` until close, logging (not throwing) its failures. */
  every(intervalMs: number, name: string, task: () => Promise<void>): void {
    void (async () => {
      while (!this.stop.signal.aborted) {
        try {
          await task();
        } catch (error) {
          if (!this.stop.signal.aborted) this.logger.warn(`${name} failed`, { reason: describeFailure(classify(error)) });
        }
        if (!(await this.pause(intervalMs, false))) return;
      }
    })();
  }

  private unavailable(operation: string, why: string): FaultlineError {
    return new FaultlineError('FL_ERR_STORE_UNAVAILABLE', `${operation}: ${why}`, { backend: 'elasticsearch', url: this.where });
  }

  private async install(): Promise<void> {
    for (let attempt = 0; this.state === 'installing'; attempt++) {
      try {
        await this.installOnce();
        if (this.state !== 'installing') return;
        this.state = 'ready';
        this.failure = undefined;
        this.logger.info('Elasticsearch store ready', { url: this.where, indices: this.names.eventsPattern });
        this.settle?.resolve();
        this.notify();
        return;
      } catch (error) {
        if (this.state !== 'installing') return;
        this.failure = classify(error);
        this.notify();
        const delay = RETRY_DELAYS_S[Math.min(attempt, RETRY_DELAYS_S.length - 1)] as number;
        const level = this.failure.kind === 'auth' ? 'error' : 'warn';
        this.logger[level](`${headline(this.failure)}, retrying in ${delay}s`, { url: this.where, reason: this.failure.reason });
        if (!(await this.pause(delay * 1000, false))) return;
      }
    }
  }

  private async installOnce(): Promise<void> {
    const options = { maxRetries: 0 };
    const layout = { shards: this.config.shards, replicas: this.config.replicas };
    await this.client.indices.putIndexTemplate(eventsTemplate(this.names, layout), options);
    try {
      await this.client.indices.create(stateIndex(this.names, layout), options);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }

  /**
   * Sleeps unless closed; false when the store was closed meanwhile. Background loops do not keep
   * the process alive (`keepAlive` false); a write waiting to retry does.
   */
  async pause(ms: number, keepAlive = true): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.stop.signal, ref: keepAlive });
      return true;
    } catch {
      return false;
    }
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }
}

function headline(failure: Failure): string {
  switch (failure.kind) {
    case 'unreachable':
      return 'Elasticsearch is unreachable';
    case 'auth':
      return failure.status === 401 ? 'Elasticsearch refused the credentials' : 'the Elasticsearch user lacks a privilege';
    case 'overloaded':
      return 'Elasticsearch is overloaded or failing';
    case 'request':
    case 'other':
      return 'installing the Elasticsearch index template failed';
  }
}

function isAlreadyExists(error: unknown): boolean {
  const failure = classify(error);
  return failure.kind === 'request' && failure.reason.includes('resource_already_exists_exception');
}
