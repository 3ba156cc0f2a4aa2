/**
 * How the store reaches its writer: a worker thread with its own connection to the file (so
 * inserting runs beside validation, and the event loop never waits on SQLite's writes), or the
 * same handler called inline when the database lives in this thread's memory.
 */
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FaultlineError, isFaultlineError, type ErrorCode, errorCodes } from '../../core/errors.ts';
import type { Connection } from './connection.ts';
import { WriteHandler } from './write-apply.ts';
import { expectsReply, type WriterReply, type WriterRequest, type WriterResult } from './write-protocol.ts';

export interface WriterChannel {
  /** Sends a request; the promise settles with the writer's answer (requests without one settle at once). */
  request(request: WriterRequest): Promise<WriterResult | undefined>;
  close(): Promise<void>;
}

function settle(reply: WriterReply): WriterResult {
  if (reply.ok) return reply.result;
  const code: ErrorCode = reply.code in errorCodes ? (reply.code as ErrorCode) : 'FL_ERR_STORE_FAILED';
  throw new FaultlineError(code, code === 'FL_ERR_STORE_FAILED' ? `embedded store: write failed: ${reply.message}` : reply.message);
}

export function inlineChannel(connection: Connection): WriterChannel {
  const handler = new WriteHandler(connection);
  const request = async (message: WriterRequest): Promise<WriterResult | undefined> => {
    const reply = handler.handle(message);
    return reply && settle(reply);
  };
  return {
    request,
    async close() {
      await request({ type: 'close' });
    },
  };
}

/** Starts the writer thread on `file` and waits until its connection is open. */
export async function workerChannel(file: string): Promise<WriterChannel> {
  // A sibling of this module: write-worker.ts in the sources, write-worker.js in the build.
  const worker = new Worker(new URL(`./write-worker${extname(import.meta.url)}`, import.meta.url), { workerData: { file } });
  const waiting: { resolve: (result: WriterResult) => void; reject: (error: unknown) => void }[] = [];
  let stopped: FaultlineError | undefined;
  const stop = (error: FaultlineError) => {
    stopped ??= error;
    for (const pending of waiting.splice(0)) pending.reject(error);
    worker.unref();
  };

  await new Promise<void>((resolve, reject) => {
    worker.once('message', (reply: WriterReply) => {
      try {
        settle(reply);
        resolve();
      } catch (error) {
        reject(error);
      }
    });
    worker.once('error', reject);
  });
  worker.on('message', (reply: WriterReply) => {
    const pending = waiting.shift();
    if (!pending) return;
    if (waiting.length === 0) worker.unref();
    try {
      pending.resolve(settle(reply));
    } catch (error) {
      pending.reject(error);
    }
  });
  worker.on('error', (error) =>
    stop(
      isFaultlineError(error)
        ? error
        : new FaultlineError('FL_ERR_STORE_UNAVAILABLE', `the embedded store's writer stopped: ${error.message}`, {}, { cause: error }),
    ),
  );
  worker.on('exit', () => stop(new FaultlineError('FL_ERR_STORE_UNAVAILABLE', "the embedded store's writer has stopped")));
  // An idle writer must not keep the process alive; one with work pending must.
  worker.unref();

  const request = (message: WriterRequest): Promise<WriterResult | undefined> => {
    if (stopped) return Promise.reject(stopped);
    worker.postMessage(message);
    if (!expectsReply(message)) return Promise.resolve(undefined);
    worker.ref();
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  return {
    request,
    async close() {
      if (stopped) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await request({ type: 'close' });
      worker.ref();
      await exited;
    },
  };
}
