/**
 * The syslog sender: one TCP connection to 127.0.0.1 writing a pre-built buffer in 1 MiB slices
 * as fast as the receiver takes them (the kernel and the receiver's pausing set the pace), so that
 * Faultline and rsyslog get the same bytes at the speed each can take.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

const SLICE = 1 << 20;

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

function newlines(data: Buffer): number {
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

/** Writes `data` once, then half-closes; resolves when the last byte left for the kernel. */
export async function send(port: number, data: Buffer): Promise<void> {
  const socket = await open(port);
  for (let offset = 0; offset < data.length; offset += SLICE) {
    if (!socket.write(data.subarray(offset, offset + SLICE))) await once(socket, 'drain');
  }
  socket.end();
  await once(socket, 'finish');
}

export interface ContinuousSender {
  /** Stops writing, closes the connection, and says how many messages were handed to the kernel. */
  stop(): Promise<{ messages: number; bytes: number }>;
}

/** Writes `data` over and over until stopped: full load for as long as a scenario needs. */
export async function sendContinuously(port: number, data: Buffer): Promise<ContinuousSender> {
  const socket = await open(port);
  const abort = new AbortController();
  let messages = 0;
  let bytes = 0;
  const loop = (async () => {
    try {
      for (;;) {
        for (let offset = 0; offset < data.length; offset += SLICE) {
          const slice = data.subarray(offset, offset + SLICE);
          const flowing = socket.write(slice);
          messages += newlines(slice);
          bytes += slice.length;
          if (!flowing) await once(socket, 'drain', { signal: abort.signal });
          if (abort.signal.aborted) return;
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
      socket.destroy();
      return { messages, bytes };
    },
  };
}
