/**
 * Finding files: fast-glob lists what the include globs match (minus the excludes); chokidar
 * watches the globs' base directories so that a new, changed or removed file is noticed at once
 * rather than at the next periodic scan. Chokidar (v4+) takes directories, not globs: its events
 * only trigger a scan or wake a reader, and the glob match is always fast-glob's.
 */
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import fg from 'fast-glob';
import type { Logger } from '../../../core/log.ts';

export type ChangeKind = 'add' | 'change' | 'unlink';

export interface DiscoveryOptions {
  include: readonly string[];
  exclude: readonly string[];
  logger: Logger;
  onChange(kind: ChangeKind, path: string): void;
}

export class Discovery {
  readonly #options: DiscoveryOptions;
  #watchers: FSWatcher[] = [];

  constructor(options: DiscoveryOptions) {
    this.#options = options;
  }

  /** Absolute paths of the regular files (or symlinks to them) that match now. */
  list(): Promise<string[]> {
    return fg([...this.#options.include], {
      ignore: [...this.#options.exclude],
      absolute: true,
      onlyFiles: true,
      followSymbolicLinks: true,
      suppressErrors: true,
      dot: true,
    });
  }

  /** Starts watching the base directories of the include globs. */
  watch(): void {
    const bases = new Map<string, boolean>();
    for (const task of fg.generateTasks([...this.#options.include])) {
      const base = resolve(task.base);
      const deep = task.patterns.some((pattern) => pattern.slice(task.base === '.' ? 0 : task.base.length + 1).includes('/'));
      bases.set(base, (bases.get(base) ?? false) || deep);
    }
    for (const [base, deep] of bases) {
      const watcher = watch(base, { ignoreInitial: true, persistent: false, ...(deep ? {} : { depth: 0 }) });
      watcher.on('add', (path) => this.#options.onChange('add', resolve(path)));
      watcher.on('change', (path) => this.#options.onChange('change', resolve(path)));
      watcher.on('unlink', (path) => this.#options.onChange('unlink', resolve(path)));
      watcher.on('addDir', (path) => this.#options.onChange('add', resolve(path)));
      watcher.on('error', (error) => this.#options.logger.debug('file watcher error; periodic scans continue', { base, error: String(error) }));
      this.#watchers.push(watcher);
    }
  }

  async close(): Promise<void> {
    const watchers = this.#watchers;
    this.#watchers = [];
    await Promise.all(watchers.map((watcher) => watcher.close()));
  }
}
