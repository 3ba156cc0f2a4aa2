/** The writer thread: one connection to the store's file that every write goes through (write-channel.ts). */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { Connection } from './connection.ts';
import { applyPragmas, BUSY_TIMEOUT_MS } from './schema.ts';
import { WriteHandler } from './write-apply.ts';
import type { WriterReply, WriterRequest } from './write-protocol.ts';

const port = parentPort;
if (!port) throw new Error('write-worker.ts runs as a worker thread of the embedded store');
const { file } = workerData as { file: string };

let handler: WriteHandler;
try {
  const db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  applyPragmas(db, 'writer');
  handler = new WriteHandler(new Connection(db));
  port.postMessage({ ok: true, result: { type: 'done' } } satisfies WriterReply);
} catch (error) {
  port.postMessage({ ok: false, code: 'FL_ERR_STORE_UNAVAILABLE', message: error instanceof Error ? error.message : String(error) } satisfies WriterReply);
  process.exit(1);
}

port.on('message', (request: WriterRequest) => {
  const reply = handler.handle(request);
  if (reply) port.postMessage(reply);
  if (request.type === 'close') port.close();
});
