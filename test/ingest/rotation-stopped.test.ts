/**
 * Rotation while the ingester is stopped, and gzip of a rotated file, 50,000 lines each, on the
 * embedded store and, where the tests have it, Elasticsearch: no line lost, none duplicated.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { it } from 'vitest';
import { describePerBackend } from './backends.ts';
import { LINES, scenario } from './rotation-helpers.ts';

const half = LINES / 2;

describePerBackend('file rotation while stopped, and gzip', 'rotation-stopped', (backend) => {
  it('rename and create while stopped, half read', async () => {
    const s = await scenario('stopped', backend);
    try {
      await s.write(s.app, 0, half);
      await s.fixture.start();
      await s.stored(half / 4);
      await s.fixture.stop();
      renameSync(s.app, `${s.app}.1`);
      await s.write(s.app, half, LINES);
      await s.fixture.start();
      await s.stored(LINES);
      await s.check();
    } finally {
      await s.dispose();
    }
  });

  it('rotated file gzipped (while running, then while stopped)', async () => {
    const s = await scenario('gzip', backend);
    try {
      const quarter = LINES / 4;
      await s.fixture.start();
      await s.write(s.app, 0, quarter);
      renameSync(s.app, `${s.app}.1`);
      await s.write(s.app, quarter, half);
      await s.stored(half);
      writeFileSync(`${s.app}.1.gz`, gzipSync(readFileSync(`${s.app}.1`)));
      unlinkSync(`${s.app}.1`);
      await s.write(s.app, half, half + quarter);
      await s.stored(half + quarter);
      await s.fixture.stop();
      // While stopped: rotate again and compress the rotated file before it was read to its end.
      await s.write(s.app, half + quarter, LINES);
      renameSync(`${s.app}.1.gz`, `${s.app}.2.gz`);
      renameSync(s.app, `${s.app}.1`);
      writeFileSync(`${s.app}.1.gz`, gzipSync(readFileSync(`${s.app}.1`)));
      unlinkSync(`${s.app}.1`);
      await s.fixture.start();
      await s.stored(LINES);
      await s.check();
    } finally {
      await s.dispose();
    }
  });
});
