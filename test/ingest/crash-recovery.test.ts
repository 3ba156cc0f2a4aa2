/**
 * kill -9 at random points while ingesting 200,000 numbered lines, restarting each time: every
 * line is stored exactly once. The runner is a separate process; the store is the real embedded
 * one, and the real Elasticsearch where FAULTLINE_TEST_ELASTICSEARCH_URL is set (required in CI).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { StoreConfig } from '../../core/config/schema.ts';
import { describePerBackend, duplicates, messageCounts } from './backends.ts';

const root = mkdtempSync(join(tmpdir(), 'faultline-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILES = 4;
const LINES_PER_FILE = 50_000;
const runner = join(import.meta.dirname, 'ingest-runner.ts');

function numbered(file: number, from: number, to: number): string {
  let text = '';
  for (let n = from; n < to; n++) text += `file ${file} line ${String(n).padStart(6, '0')} ${n % 7 === 0 ? 'with a somewhat longer tail to vary the sizes' : 'x'}\n`;
  return text;
}

/**
 * Starts the runner. `caughtUp()` tells whether it said it had read everything and was exiting on
 * its own: a signal that lands while a process exits meets no handler any more, so a SIGTERM sent
 * then ends it by the signal (exit code null), not through the graceful shutdown being tested.
 */
function start(dataDir: string, logs: string, store: StoreConfig): { child: ChildProcess; exited: Promise<number | null>; started: Promise<void>; caughtUp: () => boolean } {
  const child = spawn(process.execPath, [runner, dataDir, `${logs}/*.log`, JSON.stringify(store)], { stdio: ['ignore', 'pipe', 'inherit'] });
  // 'close', not 'exit': by then everything it wrote has been read.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let output = '';
  const started = new Promise<void>((resolve) =>
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('started')) resolve();
    }),
  );
  return { child, exited, started, caughtUp: () => output.includes('caught up') };
}

describePerBackend('file ingest across kill -9', 'file-crash', (backend) => {
  it('stores every one of 200,000 lines exactly once', async () => {
    const logs = join(root, backend.name, 'logs');
    const dataDir = join(root, backend.name, 'data');
    const storeConfig = backend.storeConfig(dataDir);
    mkdirSync(logs, { recursive: true });
    // Three quarters exist before the first start; the rest is appended between and during the crashes.
    for (let file = 0; file < FILES; file++) writeFileSync(join(logs, `app-${file}.log`), numbered(file, 0, LINES_PER_FILE * 0.75));
    const appendSteps = 5;
    const stepLines = (LINES_PER_FILE * 0.25) / appendSteps;
    const started = Date.now();
    for (let step = 0; step < appendSteps; step++) {
      const { child, exited, started, caughtUp } = start(dataDir, logs, storeConfig);
      // One graceful stop among the crashes: SIGTERM delivers what is in memory and exits 0.
      const signal = step === 2 ? 'SIGTERM' : 'SIGKILL';
      if (signal === 'SIGTERM') await started;
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 700));
      for (let file = 0; file < FILES; file++) {
        const from = LINES_PER_FILE * 0.75 + step * stepLines;
        appendFileSync(join(logs, `app-${file}.log`), numbered(file, from, from + stepLines));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      child.kill(signal);
      const code = await exited;
      if (signal === 'SIGTERM' && code === null && caughtUp()) process.stderr.write(`crash test (${backend.name}): the SIGTERM landed as the runner, caught up, was exiting\n`);
      else if (signal === 'SIGTERM') expect(code, 'exit status after SIGTERM').toBe(0);
    }
    const { exited } = start(dataDir, logs, storeConfig);
    expect(await exited, 'exit status of the final run').toBe(0);
    const elapsed = Date.now() - started;

    const seen = await messageCounts(storeConfig);
    expect(duplicates(seen)).toEqual([]);
    expect(seen.size).toBe(FILES * LINES_PER_FILE);
    for (let file = 0; file < FILES; file++) {
      expect(seen.has(`file ${file} line 000000 with a somewhat longer tail to vary the sizes`)).toBe(true);
      expect(seen.has(`file ${file} line ${String(LINES_PER_FILE - 1).padStart(6, '0')} x`)).toBe(true);
    }
    process.stderr.write(`crash test (${backend.name}): ${FILES * LINES_PER_FILE} lines through ${appendSteps - 1} kill -9 and one SIGTERM in ${elapsed} ms\n`);
  }, 150_000);
});
