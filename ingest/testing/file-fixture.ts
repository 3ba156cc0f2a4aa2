/**
 * A file source wired to a delivery and a store, with short intervals, for tests: start, write
 * files, wait until the store holds what was written, restart, stop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { JsonObject } from '../../core/event/types.ts';
import type { Store } from '../../store/contract.ts';
import type { Parse } from '../contract.ts';
import { defaultParse } from '../default-parse.ts';
import { deliveryConfigSchema } from '../delivery/config.ts';
import { Delivery } from '../delivery/delivery.ts';
import { fileInputConfigSchema, type FileInputConfigInput } from '../sources/file/config.ts';
import { FileSource } from '../sources/file/source.ts';
import type { HarvestMode } from '../sources/file/harvester.ts';

export interface FileFixture {
  readonly root: string;
  readonly logs: string;
  readonly dataDir: string;
  source: FileSource | undefined;
  delivery: Delivery | undefined;
  start(options?: { mode?: HarvestMode }): Promise<FileSource>;
  /** Stops as SIGTERM would: stop reading, deliver or spool, write checkpoints. */
  stop(): Promise<void>;
  dispose(): void;
}

export const fastFileOptions = {
  poll_interval: '20ms',
  scan_interval: '200ms',
  close_removed_after: '300ms',
  copy_grace: '2s',
  checkpoint_interval: '50ms',
} as const;

/** `input.paths` may be relative to the fixture's logs directory (default: every file under it). */
export function fileFixture(store: Store, input: Partial<FileInputConfigInput> = {}, parse: Parse = defaultParse): FileFixture {
  const root = mkdtempSync(join(tmpdir(), 'faultline-files-'));
  const logs = join(root, 'logs');
  const dataDir = join(root, 'data');
  const fixture: FileFixture = {
    root,
    logs,
    dataDir,
    source: undefined,
    delivery: undefined,
    async start(options = {}) {
      const delivery = await Delivery.open({ store, dataDir, config: deliveryConfigSchema.parse({ flush_interval: '20ms', retry_max_backoff: '100ms' }) });
      const paths = (input.paths ?? ['**/*']).map((pattern) => (isAbsolute(pattern) ? pattern : `${logs}/${pattern}`));
      const config = fileInputConfigSchema.parse({ type: 'file', ...fastFileOptions, ...input, paths });
      const source = new FileSource({ id: 'files', config, input: delivery.input('files', 'file', parse), dataDir, hostName: 'test-host', ...(options.mode ? { mode: options.mode } : {}) });
      await source.start();
      fixture.source = source;
      fixture.delivery = delivery;
      return source;
    },
    async stop() {
      await fixture.source?.stop();
      await fixture.delivery?.close();
      await fixture.source?.close();
      fixture.source = undefined;
      fixture.delivery = undefined;
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Polls until the condition holds or the time is up. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The messages of stored events, for assertions. */
export function messages(events: Iterable<JsonObject>): string[] {
  return [...events].map((event) => String(event['message']));
}
