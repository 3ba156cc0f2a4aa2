import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBuildCurrent } from './build.js';

/** A project with one source folder, built at `built` (seconds since the epoch), every file older. */
function project(built: number): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-build-'));
  mkdirSync(join(root, 'src', 'inner'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'tsconfig.build.json'), JSON.stringify({ include: ['src'] }));
  writeFileSync(join(root, 'src', 'inner', 'a.ts'), 'export const a = 1;\n');
  for (const path of ['tsconfig.build.json', 'src/inner/a.ts', 'src/inner', 'src']) utimesSync(join(root, path), built - 60, built - 60);
  writeFileSync(join(root, 'dist', '.built'), '');
  utimesSync(join(root, 'dist', '.built'), built, built);
  return root;
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the build in dist/', () => {
  const built = Math.floor(Date.now() / 1000) - 3600;
  const fresh = () => {
    const root = project(built);
    roots.push(root);
    return root;
  };

  it('is current when nothing changed after it started', () => {
    expect(isBuildCurrent(fresh())).toBe(true);
  });

  it('is stale without its stamp, after a source edit, an added or removed file, or a new build config', () => {
    const noStamp = fresh();
    rmSync(join(noStamp, 'dist', '.built'));
    expect(isBuildCurrent(noStamp)).toBe(false);

    const edited = fresh();
    writeFileSync(join(edited, 'src', 'inner', 'a.ts'), 'export const a = 2;\n');
    expect(isBuildCurrent(edited)).toBe(false);

    const added = fresh();
    writeFileSync(join(added, 'src', 'inner', 'b.ts'), 'export const b = 1;\n');
    utimesSync(join(added, 'src', 'inner', 'b.ts'), built - 60, built - 60);
    expect(isBuildCurrent(added)).toBe(false);

    const removed = fresh();
    rmSync(join(removed, 'src', 'inner', 'a.ts'));
    expect(isBuildCurrent(removed)).toBe(false);

    const reconfigured = fresh();
    writeFileSync(join(reconfigured, 'tsconfig.build.json'), JSON.stringify({ include: ['src', 'more'] }));
    expect(isBuildCurrent(reconfigured)).toBe(false);
  });
});
