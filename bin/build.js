// Faultline's sources compiled to JavaScript in dist/, types removed and nothing else changed.
// Run from there, Node.js need not load its TypeScript stripper, which weighs about 15 MB in each
// thread that loads TypeScript (the main thread and the embedded store's writer).
//
// `node bin/build.js` builds (npm run build; npm install and npm start run it). `isBuildCurrent()`
// tells whether dist/ still reflects the sources: a source file, or a folder whose files were
// added or removed, changed after the build started makes it stale, and bin/faultline.js then runs
// the sources themselves. Plain JavaScript, so that choosing costs no TypeScript either.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');
const CONFIG = 'tsconfig.build.json';
/** Written last, dated when the build started. */
const STAMP = join('dist', '.built');

/** @param {string} [root] the project's root (a test passes another) */
export function isBuildCurrent(root = ROOT) {
  const built = statSync(join(root, STAMP), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  const config = join(root, CONFIG);
  /** @type {{ include: string[] }} */
  const { include } = JSON.parse(readFileSync(config, 'utf8'));
  return !changedSince(config, built) && !include.some((folder) => changedSince(join(root, folder), built));
}

/**
 * @param {string} path
 * @param {number} time
 * @returns {boolean}
 */
function changedSince(path, time) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return false;
  if (stat.mtimeMs > time) return true;
  return stat.isDirectory() && readdirSync(path).some((name) => changedSince(join(path, name), time));
}

export function build() {
  const started = new Date();
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', CONFIG], { cwd: ROOT, stdio: 'inherit' });
  const stamp = join(ROOT, STAMP);
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
