/**
 * The syslog listeners: a TCP (or TLS) server that frames each connection's byte stream, and a UDP
 * socket where each datagram is one message (RFC 5426). Both hand each peer's messages, as bytes,
 * to the sink the source opened for it.
 * Neither trusts its input: errors are counted per connection and never reach the listener, a
 * connection over the limit is refused, an idle one is closed, and TCP connections are paused
 * while delivery is full (the kernel then slows the sender).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, isIPv6, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { describeError } from '../../../core/errors.ts';
import type { DeliveryInput } from '../../delivery/input.ts';
import type { SyslogInputConfig } from './config.ts';
import { SyslogFramer, type FrameSink } from './framing.ts';

export interface Peer {
  /** The connection id in event ids: unique per receiver instance. */
  id: string;
  sequence: number;
  ip: string;
  port: number;
  transport: 'tcp' | 'udp';
  tls: boolean;
  /** What the source keeps per peer (its context and id maker), so it is not made per message. */
  stream?: unknown;
}

/**
 * Where a peer's messages go: `frame` for each message framed from a read (a connection's chunk, a
 * datagram), then `received` with when that read happened (epoch ms; one clock read per read).
 */
export interface PeerSink extends FrameSink {
  received(receivedAt: number): void;
}

/** Opens the sink of a new peer: a connection, or the UDP socket (whose peer changes with each datagram). */
export type OpenPeer = (peer: Peer) => PeerSink;

export interface Listener {
  readonly address: AddressInfo;
  readonly connections: number;
  close(): Promise<void>;
}

/** Connection errors a peer causes by going away: not worth an error count. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const CLOSE_GRACE_MS = 1000;

export async function listenStream(config: SyslogInputConfig, input: DeliveryInput, nextPeerId: () => string, open: OpenPeer): Promise<Listener> {
  const sockets = new Set<Socket>();
  const tls = config.protocol === 'tls';
  const handle = (socket: Socket) => {
    sockets.add(socket);
    const peer: Peer = { id: nextPeerId(), sequence: 0, ip: plainIp(socket.remoteAddress), port: socket.remotePort ?? 0, transport: 'tcp', tls };
    const framer = new SyslogFramer(config.max_message_bytes, config.framing);
    const sink = open(peer);
    let paused = false;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      framer.end(sink);
      sink.received(Date.now());
    };
    socket.setTimeout(config.idle_timeout, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const receivedAt = Date.now();
      framer.push(chunk, sink);
      sink.received(receivedAt);
      if (input.full && !paused) {
        paused = true;
        socket.pause();
        void input.ready().then(() => {
          paused = false;
          if (!socket.destroyed) socket.resume();
        });
      }
    });
    socket.on('end', () => {
      finish();
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!PEER_GONE.has(error.code ?? '')) input.metrics.error('receiving', `${peer.ip}:${peer.port}: ${describeError(error)}`);
    });
    socket.on('close', () => {
      finish();
      sockets.delete(socket);
    });
  };

  let server: Server;
  if (tls && config.tls) {
    const options = config.tls;
    server = createTlsServer(
      {
        cert: readFileSync(options.cert_file),
        key: readFileSync(options.key_file),
        ...(options.ca_file ? { ca: readFileSync(options.ca_file) } : {}),
        requestCert: options.client_auth !== 'none',
        rejectUnauthorized: options.client_auth === 'required',
      },
      handle,
    );
    server.on('tlsClientError', (error) => input.metrics.error('receiving', `TLS handshake: ${describeError(error)}`));
  } else {
    server = createServer(handle);
  }
  server.maxConnections = config.max_connections;
  server.on('drop', () => input.metrics.error('receiving', `connection refused: more than ${config.max_connections} connections`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => input.metrics.error('receiving', describeError(error)));
  return {
    address: server.address() as AddressInfo,
    get connections() {
      return sockets.size;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Half-close: what peers already sent is still read and delivered; stragglers are cut after a grace period.
      for (const socket of sockets) socket.end();
      const grace = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
    },
  };
}

export async function listenDatagrams(config: SyslogInputConfig, input: DeliveryInput, peerId: string, open: OpenPeer): Promise<Listener> {
  const socket: UdpSocket = createSocket({ type: isIPv6(config.host) ? 'udp6' : 'udp4' });
  const peer: Peer = { id: peerId, sequence: 0, ip: '', port: 0, transport: 'udp', tls: false };
  const sink = open(peer);
  socket.on('message', (message, remote) => {
    if (input.full) {
      input.drop('overload');
      return;
    }
    const { length, truncated } = datagramFrame(message, config.max_message_bytes);
    if (length === 0) return;
    peer.ip = plainIp(remote.address);
    peer.port = remote.port;
    sink.frame(message, 0, length, truncated);
    sink.received(Date.now());
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(config.port, config.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (error) => input.metrics.error('receiving', describeError(error)));
  return {
    address: socket.address(),
    connections: 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** One datagram, one message: its first `length` bytes, trailing newlines and NULs dropped, cut at the limit. */
export function datagramFrame(message: Buffer, maxBytes: number): { length: number; truncated: boolean } {
  let end = message.length;
  while (end > 0 && (message[end - 1] === 0x0a || message[end - 1] === 0x0d || message[end - 1] === 0x00)) end--;
  const truncated = end > maxBytes;
  return { length: truncated ? maxBytes : end, truncated };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`. */
function plainIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
