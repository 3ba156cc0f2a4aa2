/**
 * The live state of one file identity in a running file source: its checkpoint record, the
 * tracker that turns acknowledgements into checkpoint progress, and how far records were handed to
 * delivery (where a reader, or a copy of the file, continues).
 */
import type { Logger } from '../../../core/log.ts';
import { AckTracker } from '../../checkpoints/ack-tracker.ts';
import type { FileCheckpoint, FileCheckpoints } from '../../checkpoints/file-checkpoints.ts';
import type { DeliveryInput } from '../../delivery/input.ts';
import type { FileInputConfig } from './config.ts';
import type { MultilineRule } from './multiline.ts';
import type { RecordContext } from './records.ts';

export class FileState {
  readonly record: FileCheckpoint;
  readonly tracker: AckTracker;
  /** End of the last record handed to delivery. */
  emittedEnd: number;
  /** The reader working on this file now, if any. */
  reader: { wake(): void; stop(): Promise<void>; readonly done: Promise<unknown> } | undefined;
  /** Epoch ms of the scan that last found this file at some path. */
  seenAt = 0;
  /** Set once the file was truncated: the identity no longer belongs to its inode (a copy may adopt it). */
  released = false;
  /** Where a whole-file read ended; the file is done once everything up to it is acknowledged. */
  #doneAt: number | undefined;
  /** Size and mtime of the file when the last whole-file read ended (or failed: a gzip still being written); read again only once they change. */
  wholeReadOf: { size: number; mtimeMs: number } | undefined;
  /** Whether a harvester ran on it in this process (an unread file gets one even when its checkpoint is at its end, to follow growth). */
  harvested = false;

  constructor(record: FileCheckpoint, checkpoints: FileCheckpoints) {
    this.record = record;
    this.emittedEnd = record.offset;
    this.tracker = new AckTracker(record.offset, (committed) => {
      record.offset = committed;
      if (this.#doneAt !== undefined && committed >= this.#doneAt) record.done = true;
      checkpoints.changed();
    });
  }

  /** Marks a whole-file read complete at `end`; `done` is set once acknowledged up to there. */
  finishAt(end: number, checkpoints: FileCheckpoints): void {
    this.#doneAt = end;
    if (this.tracker.committed >= end) {
      this.record.done = true;
      checkpoints.changed();
    }
  }
}

/** What every reader of the file source needs. */
export interface ReaderContext {
  input: DeliveryInput;
  config: FileInputConfig;
  checkpoints: FileCheckpoints;
  records: RecordContext;
  multiline: MultilineRule | undefined;
  logger: Logger;
  /** Epoch ms when the latest complete scan started (a file it did not find is gone). */
  lastScanStartedAt(): number;
}
