/**
 * The file source: scans the globs (periodically and on file-system events), recognizes each file
 * found (identity.ts), and runs one reader per file: a Harvester that tails plain files, or a
 * WholeFileReader for gzip and JSON array files. Checkpoints advance only with the store's
 * acknowledgements (FileState's tracker) and are written atomically.
 *
 * @example
 * const source = new FileSource({ config, input: delivery.input(id, 'file', parse), dataDir });
 * await source.start();      // ...reads and follows the files
 * await source.stop(); await delivery.close(); await source.close();
 */
import { hostname } from 'node:os';
import { describeError } from '../../../core/errors.ts';
import type { JsonObject } from '../../../core/event/types.ts';
import { silentLogger, type Logger } from '../../../core/log.ts';
import { FileCheckpoints, type FileCheckpoint } from '../../checkpoints/file-checkpoints.ts';
import type { Source } from '../../contract.ts';
import { ingestPaths } from '../../data-dir.ts';
import type { DeliveryInput } from '../../delivery/input.ts';
import { multilineRule, type FileInputConfig } from './config.ts';
import { Discovery, type ChangeKind } from './discovery.ts';
import { Harvester, type HarvestEnd, type HarvestMode } from './harvester.ts';
import { fingerprint, isCopyOf, isSameFile, newKey, probe, statFile, type Candidate } from './identity.ts';
import { FileState, type ReaderContext } from './state.ts';
import { WholeFileReader } from './whole-file.ts';

export interface FileSourceOptions {
  id: string;
  config: FileInputConfig;
  input: DeliveryInput;
  dataDir: string;
  logger?: Logger;
  hostName?: string;
  /** `tail` follows files (the service); `once` reads each file to its end and finishes (backfill). */
  mode?: HarvestMode;
}

const RESCAN_DEBOUNCE_MS = 50;

export class FileSource implements Source {
  readonly id: string;
  readonly type = 'file';
  readonly #options: FileSourceOptions;
  readonly #logger: Logger;
  readonly #mode: HarvestMode;
  #checkpoints: FileCheckpoints | undefined;
  #discovery: Discovery | undefined;
  readonly #states = new Map<string, FileState>();
  /** Identities bound to an inode that currently exists: `dev:ino` -> state. */
  readonly #live = new Map<string, FileState>();
  /** Copies waiting for their original to stop being read: `dev:ino` -> first seen. */
  readonly #deferred = new Map<string, number>();
  readonly #sizes = new Map<string, number>();
  #lastScanStartedAt = 0;
  #scanning: Promise<void> | undefined;
  #rescan = false;
  #scanTimer: NodeJS.Timeout | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #scans = 0;
  #stopped = false;
  #context: ReaderContext | undefined;

  constructor(options: FileSourceOptions) {
    this.id = options.id;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#mode = options.mode ?? 'tail';
    options.input.metrics.status = () => this.status();
  }

  async start(): Promise<void> {
    const config = this.#options.config;
    const input = this.#options.input;
    const checkpoints = await FileCheckpoints.load({
      dir: ingestPaths(this.#options.dataDir).checkpoints,
      input: this.id,
      intervalMs: config.checkpoint_interval,
      onError: (error) => input.metrics.error('checkpointing', describeError(error)),
    });
    this.#checkpoints = checkpoints;
    this.#context = {
      input,
      config,
      checkpoints,
      records: { hostName: this.#options.hostName ?? hostname(), labels: config.labels },
      multiline: multilineRule(config),
      logger: this.#logger,
      lastScanStartedAt: () => this.#lastScanStartedAt,
    };
    this.#discovery = new Discovery({ include: config.paths, exclude: config.exclude, logger: this.#logger, onChange: (kind, path) => this.#changed(kind, path) });
    await this.scan();
    if (this.#mode === 'tail') {
      this.#discovery.watch();
      this.#scanTimer = setInterval(() => void this.scan(), config.scan_interval);
      this.#scanTimer.unref();
    }
  }

  /** Looks for files now; concurrent calls share one scan, and a call during a scan runs another after it. */
  scan(): Promise<void> {
    if (this.#scanning) {
      this.#rescan = true;
      return this.#scanning;
    }
    this.#scanning = this.#scanOnce()
      .catch((error: unknown) => {
        this.#options.input.metrics.error('receiving', `scan: ${describeError(error)}`);
        this.#logger.warn('file scan failed', { input: this.id, error: describeError(error) });
      })
      .finally(() => {
        this.#scanning = undefined;
        if (this.#rescan && !this.#stopped) {
          this.#rescan = false;
          void this.scan();
        }
      });
    return this.#scanning;
  }

  /** Whether every file found by a fresh scan is read to its end and acknowledged. */
  async caughtUp(): Promise<boolean> {
    await this.scan();
    for (const state of this.#live.values()) {
      if (state.tracker.pending > 0) return false;
      if (state.record.kind === 'plain' && this.#options.config.format !== 'json_array') {
        if (state.record.offset < (this.#sizes.get(state.record.key) ?? Number.POSITIVE_INFINITY)) return false;
      } else if (!state.record.done) {
        return false;
      }
    }
    return true;
  }

  /** Resolves when every reader started so far has finished (`once` mode). */
  async finished(): Promise<void> {
    await this.#scanning;
    await Promise.all([...this.#states.values()].map((state) => state.reader?.done));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#scanTimer);
    clearTimeout(this.#debounce);
    await this.#discovery?.close();
    await this.#scanning;
    await Promise.all([...this.#states.values()].map((state) => state.reader?.stop()));
  }

  async close(): Promise<void> {
    await this.#checkpoints?.flush();
  }

  status(): JsonObject {
    let lag = 0;
    const files: JsonObject[] = [];
    for (const state of this.#live.values()) {
      const size = this.#sizes.get(state.record.key) ?? state.record.offset;
      const fileLag = state.record.kind === 'plain' && this.#options.config.format !== 'json_array' ? Math.max(0, size - state.record.offset) : 0;
      lag += fileLag;
      files.push({ path: state.record.path, kind: state.record.kind, offset: state.record.offset, size, lag_bytes: fileLag, reading: state.reader !== undefined, done: state.record.done });
    }
    return { files, lag_bytes: lag, scans: this.#scans };
  }

  async #scanOnce(): Promise<void> {
    const discovery = this.#discovery;
    const checkpoints = this.#checkpoints;
    if (!discovery || !checkpoints || this.#stopped) return;
    const startedAt = Date.now();
    const firstScan = this.#scans === 0;
    const candidates: Candidate[] = [];
    const found = new Set<string>();
    for (const path of await discovery.list()) {
      const info = await statFile(path);
      if (!info) continue;
      const inode = `${info.dev}:${info.ino}`;
      if (found.has(inode)) continue;
      found.add(inode);
      const live = this.#live.get(inode);
      if (live) {
        this.#sizes.set(live.record.key, info.size);
        this.#keepReading(live, path, info.size, info.mtimeMs, startedAt);
        continue;
      }
      const candidate = await probe(path, this.#options.config.gzip);
      if (candidate && (candidate.prefix.length > 0 || candidate.size > 0)) candidates.push(candidate);
    }
    const unmatched = this.#bindSameFiles(candidates, startedAt);
    const fresh = this.#bindCopies(unmatched, startedAt);
    for (const candidate of fresh) {
      const offset = firstScan && checkpoints.firstRun && this.#options.config.start_at === 'end' && candidate.kind === 'plain' ? candidate.size : 0;
      const record: FileCheckpoint = {
        key: newKey(candidate, (key) => checkpoints.has(key)),
        dev: candidate.dev,
        ino: candidate.ino,
        fp_len: candidate.prefix.length,
        fp_hash: fingerprint(candidate.prefix),
        offset,
        path: candidate.path,
        kind: candidate.kind,
        done: false,
        seen_at: startedAt,
      };
      checkpoints.set(record);
      this.#bind(new FileState(record, checkpoints), candidate, startedAt);
    }
    for (const [inode, state] of this.#live) {
      if (!found.has(inode) && !state.reader) this.#live.delete(inode);
    }
    for (const inode of this.#deferred.keys()) if (!found.has(inode)) this.#deferred.delete(inode);
    this.#forget(startedAt);
    this.#lastScanStartedAt = startedAt;
    this.#scans++;
  }

  /** Pass 1: files already known by inode and fingerprint (restarts, renames). */
  #bindSameFiles(candidates: Candidate[], now: number): Candidate[] {
    const checkpoints = this.#checkpoints as FileCheckpoints;
    const rest: Candidate[] = [];
    for (const candidate of candidates) {
      const record = checkpoints.all().find((entry) => isSameFile(entry, candidate));
      if (record) this.#bind(this.#stateOf(record), candidate, now);
      else rest.push(candidate);
    }
    return rest;
  }

  /** Pass 2: copies of known files (copytruncate's copy, a rotated file's gzip) continue their original's checkpoint. */
  #bindCopies(candidates: Candidate[], now: number): Candidate[] {
    const checkpoints = this.#checkpoints as FileCheckpoints;
    const rest: Candidate[] = [];
    for (const candidate of candidates) {
      const inode = `${candidate.dev}:${candidate.ino}`;
      const originals = checkpoints.all().filter((entry) => isCopyOf(entry, candidate));
      const free = originals.find((entry) => !this.#isLive(entry));
      if (free) {
        this.#logger.info('file is a copy of one already read; continuing from its checkpoint', { path: candidate.path, original: free.path, offset: free.offset });
        this.#stateOf(free).released = false;
        Object.assign(free, { dev: candidate.dev, ino: candidate.ino, kind: candidate.kind, path: candidate.path });
        checkpoints.changed();
        this.#deferred.delete(inode);
        this.#bind(this.#stateOf(free), candidate, now);
        continue;
      }
      if (originals.length > 0) {
        const since = this.#deferred.get(inode) ?? now;
        this.#deferred.set(inode, since);
        if (now - since < this.#options.config.copy_grace) continue;
        this.#deferred.delete(inode);
      }
      rest.push(candidate);
    }
    return rest;
  }

  #isLive(record: FileCheckpoint): boolean {
    const state = this.#states.get(record.key);
    return state !== undefined && !state.released && this.#live.get(`${record.dev}:${record.ino}`) === state;
  }

  #stateOf(record: FileCheckpoint): FileState {
    let state = this.#states.get(record.key);
    if (!state) {
      state = new FileState(record, this.#checkpoints as FileCheckpoints);
      this.#states.set(record.key, state);
    }
    return state;
  }

  #bind(state: FileState, candidate: Candidate, now: number): void {
    this.#states.set(state.record.key, state);
    this.#live.set(`${candidate.dev}:${candidate.ino}`, state);
    this.#sizes.set(state.record.key, candidate.size);
    this.#keepReading(state, candidate.path, candidate.size, candidate.mtimeMs, now);
  }

  /** Records where the file is now and (re)starts its reader when there is something to read. */
  #keepReading(state: FileState, path: string, size: number, mtimeMs: number, now: number): void {
    const record = state.record;
    state.seenAt = now;
    record.seen_at = now;
    if (record.path !== path) {
      record.path = path;
      this.#checkpoints?.changed();
    }
    if (state.reader || this.#stopped || record.done) return;
    const context = this.#context as ReaderContext;
    const whole = record.kind === 'gzip' || this.#options.config.format === 'json_array';
    if (whole) {
      if (state.wholeReadOf && state.wholeReadOf.size === size && state.wholeReadOf.mtimeMs === mtimeMs) return;
      const reader = new WholeFileReader(state, context);
      state.reader = reader;
      void reader.done.then((end) => {
        state.reader = undefined;
        state.wholeReadOf = end === 'stopped' ? undefined : { size, mtimeMs };
      });
      return;
    }
    if (state.harvested && size === state.emittedEnd && this.#mode === 'tail') return;
    state.harvested = true;
    const harvester = new Harvester(state, context, this.#mode);
    state.reader = harvester;
    void harvester.done.then((end) => this.#harvestEnded(state, end));
  }

  #harvestEnded(state: FileState, end: HarvestEnd): void {
    state.reader = undefined;
    if (end === 'removed') {
      for (const [inode, live] of this.#live) if (live === state) this.#live.delete(inode);
    }
    if (end === 'truncated') this.#release(state);
  }

  /** The file was truncated: its identity leaves the inode (a copy may adopt it), and the inode is scanned as a new file. */
  #release(state: FileState): void {
    for (const [inode, live] of this.#live) if (live === state) this.#live.delete(inode);
    state.released = true;
    state.record.dev = '';
    state.record.ino = '';
    this.#checkpoints?.changed();
    this.#logger.info('file was truncated; reading its new content as a new file', { path: state.record.path });
    if (!this.#stopped) void this.scan();
  }

  #changed(kind: ChangeKind, path: string): void {
    if (kind === 'change') {
      for (const state of this.#live.values()) {
        if (state.record.path === path && state.reader) {
          state.reader.wake();
          return;
        }
      }
    }
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.scan(), RESCAN_DEBOUNCE_MS);
    this.#debounce.unref();
  }

  /** Drops checkpoints of files not seen for `forget_after`. */
  #forget(now: number): void {
    const checkpoints = this.#checkpoints as FileCheckpoints;
    for (const record of checkpoints.all()) {
      const state = this.#states.get(record.key);
      if (now - record.seen_at < this.#options.config.forget_after || state?.reader || (state && state.tracker.pending > 0)) continue;
      checkpoints.delete(record.key);
      this.#states.delete(record.key);
    }
  }
}
