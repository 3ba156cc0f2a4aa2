/**
 * Where Faultline's own files are, whether this module runs from the TypeScript sources or from
 * their JavaScript build in dist/ (`npm run build`): files that are not code (the built-in
 * pipelines, docs/events.md, package.json) stay in the source tree, found from the project's root.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder above this module that holds package.json: the project's root. */
export const PROJECT_ROOT = findRoot(import.meta.dirname);

function findRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}

/** The path of a file of the project, from its root: `projectFile('docs', 'events.md')`. */
export function projectFile(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
