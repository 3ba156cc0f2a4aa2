/**
 * A TCP syslog sender for the crash tests, as a real one behaves: numbered RFC 5424 messages of
 * one fixed length at a steady rate, one connection at a time, reconnecting when the receiver goes
 * away, never sending a message twice (syslog has no acknowledgement to resend on). It records per
 * connection which numbers the kernel took (the write completed: "confirmed"); the last write of a
 * connection that failed is "unconfirmed" (some of it may have arrived).
 *
 * Also: the bytes the kernel holds on a loopback connection, from /proc/net/tcp.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export const MESSAGE_BYTES = syslogLine(0).length;

/** The body of message `n` as the syslog pipeline stores it in `message`. */
export function syslogBody(n: number): string {
  return `syslog crash ${String(n).padStart(7, '0')}`;
}

/** The whole frame of message `n`: fixed length, so kernel bytes convert to messages exactly. */
function syslogLine(n: number): string {
  const timestamp = new Date(Date.parse('2026-03-01T12:00:00.000Z') + n).toISOString();
  return `<13>1 ${timestamp} crash-host crash-app - - - ${syslogBody(n)}\n`;
}

export interface Connection {
  /** The sender's local port (to find the connection in /proc/net/tcp). */
  localPort: number;
  /** The first number written on it. */
  start: number;
  /** Numbers start..start+confirmed-1 were taken by the kernel. */
  confirmed: number;
  /** When each write completed (Date.now()), one entry per chunk of messages. */
  confirmedAt: number[];
  /** Numbers of a write that failed: they may or may not have arrived. */
  unconfirmed: number;
  /** The receiver half-closed it (a graceful shutdown). */
  endedByPeer: boolean;
  closed: Promise<void>;
}

export class NumberedSyslogSender {
  readonly connections: Connection[] = [];
  /** Messages per write. */
  readonly chunk: number;
  readonly #port: number;
  readonly #intervalMs: number;
  #next = 0;
  #stopping = false;
  #running: Promise<void> | undefined;

  /** Sends `chunk` messages every `intervalMs` to 127.0.0.1:`port`. */
  constructor(port: number, options: { chunk: number; intervalMs: number }) {
    this.#port = port;
    this.chunk = options.chunk;
    this.#intervalMs = options.intervalMs;
  }

  /** Numbers written so far (confirmed or not). */
  get written(): number {
    return this.#next;
  }

  start(): void {
    this.#running = this.#run();
  }

  /** Stops sending, ends the current connection gracefully, and resolves once it is closed. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
  }

  /** The `index`th connection (0-based), once a write on it went through. */
  async connection(index: number): Promise<Connection> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const connection = this.connections[index];
      if (connection && connection.confirmed > 0) return connection;
      if (Date.now() > deadline) throw new Error(`the sender had no connection #${index} within 30 s`);
      await sleep(10);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const socket = await this.#connect();
      if (!socket) return;
      let resolveClosed: () => void = () => {};
      const connection: Connection = {
        localPort: socket.localPort ?? 0,
        start: this.#next,
        confirmed: 0,
        confirmedAt: [],
        unconfirmed: 0,
        endedByPeer: false,
        closed: new Promise<void>((resolve) => (resolveClosed = resolve)),
      };
      this.connections.push(connection);
      socket.on('end', () => (connection.endedByPeer = true));
      socket.on('error', () => undefined);
      socket.on('close', () => resolveClosed());
      while (!this.#stopping && !connection.endedByPeer && !socket.destroyed) {
        const from = this.#next;
        this.#next += this.chunk;
        let text = '';
        for (let n = from; n < this.#next; n++) text += syslogLine(n);
        const ok = await new Promise<boolean>((resolve) => socket.write(text, (error) => resolve(!error)));
        if (!ok) {
          connection.unconfirmed = this.chunk;
          break;
        }
        connection.confirmed += this.chunk;
        connection.confirmedAt.push(Date.now());
        await sleep(this.#intervalMs);
      }
      socket.end();
      await connection.closed;
    }
  }

  /** Connects, retrying while the receiver is down; undefined once stopped. */
  async #connect(): Promise<Socket | undefined> {
    while (!this.#stopping) {
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const attempt = connect(this.#port, '127.0.0.1', () => resolve(attempt));
        attempt.once('error', () => resolve(undefined));
      });
      if (socket) return socket;
      await sleep(20);
    }
    return undefined;
  }
}

/**
 * Bytes the kernel holds for the loopback connection between `clientPort` and `serverPort`:
 * received by the server's socket and not yet read by the process, plus sent by the client's
 * socket and not yet acknowledged (the tx_queue:rx_queue columns of /proc/net/tcp).
 */
export function kernelQueuedBytes(clientPort: number, serverPort: number): number {
  let total = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const local = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
    const remote = Number.parseInt(fields[2]?.split(':')[1] ?? '', 16);
    const [tx, rx] = (fields[4] ?? '0:0').split(':').map((hex) => Number.parseInt(hex, 16));
    if (local === serverPort && remote === clientPort) total += rx ?? 0;
    if (local === clientPort && remote === serverPort) total += tx ?? 0;
  }
  return total;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
