/**
 * Rotation while running, 50,000 lines each, on the embedded store and, where the tests have it,
 * Elasticsearch: no line lost, none duplicated. Copytruncate and plain truncation lose what is
 * written between the copy (or the reader's last read) and the truncation, inherently; these tests
 * write outside that window (see ingest/README.md).
 */
import { copyFileSync, renameSync, truncateSync, unlinkSync } from 'node:fs';
import { it } from 'vitest';
import { describePerBackend } from './backends.ts';
import { LINES, scenario } from './rotation-helpers.ts';

const half = LINES / 2;

describePerBackend('file rotation while running', 'rotation-live', (backend) => {
  it('rename and create', async () => {
    const s = await scenario('rename', backend);
    try {
      await s.fixture.start();
      await s.write(s.app, 0, half);
      renameSync(s.app, `${s.app}.1`);
      await s.write(s.app, half, LINES);
      await s.stored(LINES);
      await s.check();
    } finally {
      await s.dispose();
    }
  });

  it('copytruncate', async () => {
    const s = await scenario('copytruncate', backend);
    try {
      await s.fixture.start();
      await s.write(s.app, 0, half);
      await s.stored(half);
      copyFileSync(s.app, `${s.app}.1`);
      truncateSync(s.app, 0);
      await s.write(s.app, half, LINES);
      await s.stored(LINES);
      await s.check();
    } finally {
      await s.dispose();
    }
  });

  it('truncate in place', async () => {
    const s = await scenario('truncate', backend);
    try {
      await s.fixture.start();
      await s.write(s.app, 0, half);
      await s.stored(half);
      truncateSync(s.app, 0);
      await s.write(s.app, half, LINES);
      await s.stored(LINES);
      await s.check();
    } finally {
      await s.dispose();
    }
  });

  it('delete and recreate, the deleted file read to its end through the open descriptor', async () => {
    const s = await scenario('delete', backend);
    try {
      await s.fixture.start();
      await s.write(s.app, 0, 1000);
      // Once the file is open (found and being read): a file created and deleted between two scans is never seen.
      await s.stored(1);
      await s.write(s.app, 1000, half);
      unlinkSync(s.app);
      await s.write(s.app, half, LINES);
      await s.stored(LINES);
      await s.check();
    } finally {
      await s.dispose();
    }
  });
});
