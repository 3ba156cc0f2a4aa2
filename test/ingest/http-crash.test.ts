/**
 * HTTP ingest across kill -9: a client POSTs 200,000 numbered events to `POST /api/ingest` of a
 * real `faultline serve` and sends every body again that got no answer (connection refused or cut,
 * or 503); the server is killed with SIGKILL at random points (and once stopped with SIGTERM) and
 * started again on the same data; a last run replays what the spool kept. At the end every event
 * is stored exactly once: an answer that came before the events were in the store or the spool
 * would have let a kill lose them, and the client never sends an answered body again.
 *
 * The bodies take each of the three forms, so each kind of event id is exercised across retries:
 * NDJSON with the sender's `event.id`, JSON arrays without one (content hash), and raw lines
 * through `?pipeline=json` (hash of the body up to the line).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { describePerBackend, duplicates, messageCounts } from './backends.ts';
import { freePort, killServes, replaySpool, startServe, writeConfig, type ServeProcess } from './serve-process.ts';

const EVENTS = 200_000;
const BATCH = 500;
const SENDERS = 4;
/** How the server is stopped, in order, each at a random point of the run. */
const STOPS: NodeJS.Signals[] = ['SIGKILL', 'SIGKILL', 'SIGTERM', 'SIGKILL', 'SIGKILL'];
const DEADLINE_MS = 120_000;

const root = mkdtempSync(join(tmpdir(), 'faultline-http-crash-'));
afterAll(async () => {
  await killServes();
  rmSync(root, { recursive: true, force: true });
});

const base = Date.parse('2026-03-01T12:00:00.000Z');
const message = (n: number) => `http event ${String(n).padStart(6, '0')}`;
const timestamp = (n: number) => new Date(base + n).toISOString();

interface Body {
  path: string;
  type: string;
  text: string;
}

/** Batch `k` as one of three body forms, by k mod 3. */
function body(k: number): Body {
  const numbers = Array.from({ length: BATCH }, (_, i) => k * BATCH + i);
  switch (k % 3) {
    case 0:
      return {
        path: '/api/ingest',
        type: 'application/x-ndjson',
        text: numbers.map((n) => JSON.stringify({ '@timestamp': timestamp(n), event: { id: `http-crash-${n}` }, message: message(n) })).join('\n') + '\n',
      };
    case 1:
      return { path: '/api/ingest', type: 'application/json', text: JSON.stringify(numbers.map((n) => ({ '@timestamp': timestamp(n), message: message(n) }))) };
    default:
      return {
        path: '/api/ingest?pipeline=json',
        type: 'text/plain',
        text: numbers.map((n) => JSON.stringify({ '@timestamp': timestamp(n), message: message(n) })).join('\n') + '\n',
      };
  }
}

/** The test's own failures, as opposed to the server not answering (which the client retries). */
class WrongAnswer extends Error {}

describePerBackend('HTTP ingest across kill -9', 'http-crash', (backend) => {
  it('stores every one of 200,000 events exactly once when the client resends what got no answer', async () => {
    const dir = join(root, backend.name);
    mkdirSync(dir, { recursive: true });
    const storeConfig = backend.storeConfig(join(dir, 'data'));
    const port = await freePort();
    const config = writeConfig(dir, { server: { port }, store: storeConfig, ingest: { http: { timeout: '10s' } } });
    const log = join(dir, 'serve.log');
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    let deadline = started + DEADLINE_MS;
    // A failed test must not leave senders retrying behind it.
    onTestFinished(() => {
      deadline = 0;
    });

    let server: ServeProcess = await startServe(config, log);
    const batches = EVENTS / BATCH;
    let next = 0;
    let answered = 0;
    let resent = 0;
    let inFlight = 0;
    const inFlightAtStop: number[] = [];
    let gracefulMs = 0;

    const deliver = async (k: number) => {
      const { path, type, text } = body(k);
      for (let attempt = 0; ; attempt++) {
        if (Date.now() > deadline) throw new WrongAnswer(`batch ${k} still had no answer after ${DEADLINE_MS} ms`);
        if (attempt > 0) resent++;
        inFlight++;
        try {
          const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': type }, body: text, signal: AbortSignal.timeout(20_000) });
          const answer = await response.text();
          if (response.status === 200) {
            const parsed = JSON.parse(answer) as { accepted: number; rejected: unknown[] };
            if (parsed.accepted !== BATCH || parsed.rejected.length > 0) throw new WrongAnswer(`batch ${k}: ${answer}`);
            return;
          }
          // 503: neither the store nor the spool took the events in time; the same body is safe to send again.
          if (response.status !== 503) throw new WrongAnswer(`batch ${k}: status ${response.status}: ${answer}`);
        } catch (error) {
          if (error instanceof WrongAnswer) throw error;
          // No answer: refused, cut by the kill, or timed out. Send it again.
        } finally {
          inFlight--;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    };
    const sender = async () => {
      while (next < batches) {
        await deliver(next++);
        answered++;
      }
    };

    // Stop points spread over the run: after a random share of the batches was answered.
    const points = STOPS.map((_, i) => (i + 0.2 + Math.random() * 0.6) / (STOPS.length + 1)).sort();
    const stopper = async () => {
      for (const [i, signal] of STOPS.entries()) {
        while (answered < (points[i] as number) * batches) {
          if (Date.now() > deadline) throw new WrongAnswer(`stop ${i + 1} never came: ${answered} of ${batches} bodies answered`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
        inFlightAtStop.push(inFlight);
        const stopping = Date.now();
        const code = await server.stop(signal);
        if (signal === 'SIGTERM') {
          gracefulMs = Date.now() - stopping;
          expect(code, 'exit status after SIGTERM').toBe(0);
        }
        server = await startServe(config, log);
      }
    };

    await Promise.all([stopper(), ...Array.from({ length: SENDERS }, sender)]);
    expect(await server.stop('SIGTERM'), 'exit status of the last run').toBe(0);
    const spooled = await replaySpool(config, log);
    const elapsed = Date.now() - started;

    const seen = await messageCounts(storeConfig);
    expect(duplicates(seen)).toEqual([]);
    expect(seen.size).toBe(EVENTS);
    expect(seen.get(message(0))).toBe(1);
    expect(seen.get(message(EVENTS - 1))).toBe(1);
    // Each stop caught requests on their way; otherwise the test would prove nothing.
    expect(inFlightAtStop.every((count) => count > 0), `requests in flight at each stop: ${inFlightAtStop.join(', ')}`).toBe(true);
    process.stderr.write(
      `HTTP crash test (${backend.name}): ${EVENTS} events in ${batches} bodies through ${STOPS.length} stops ` +
        `(${STOPS.join(', ')}; requests in flight: ${inFlightAtStop.join(', ')}; SIGTERM to exit ${gracefulMs} ms), ${resent} bodies sent again, ${spooled} spool bytes replayed by a last run, ${elapsed} ms\n`,
    );
  }, 150_000);
});
