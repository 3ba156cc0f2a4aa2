/**
 * The syslog source: frames messages (UDP, TCP, TLS) and hands each raw message on, with where it
 * came from; parsing the RFC 3164 / 5424 header is the `syslog` pipeline's job. Event ids are
 * `syslogStreamIds(instance, connection)(sequence)`: the instance is persisted per data directory,
 * connections are numbered per process start under a random boot id, so ids never repeat.
 *
 * Syslog cannot be acknowledged to its sender. A TCP message is safe once delivery put it in the
 * store or the spool; until then (the kernel's receive buffer, the in-memory queue, the batch
 * being written) a crash loses it. See ingest/README.md for the size of that window.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sharedContext } from '../../../core/event/context.ts';
import { syslogStreamIds } from '../../../core/event/id.ts';
import type { JsonObject } from '../../../core/event/types.ts';
import { FaultlineError, describeError } from '../../../core/errors.ts';
import { silentLogger, type Logger } from '../../../core/log.ts';
import type { Source } from '../../contract.ts';
import { instanceId } from '../../data-dir.ts';
import type { DeliveryInput } from '../../delivery/input.ts';
import type { SyslogInputConfig } from './config.ts';
import { listenDatagrams, listenStream, type Listener, type Peer } from './listeners.ts';
import { PeerRuns, type PeerStream } from './runs.ts';

export interface SyslogSourceOptions {
  id: string;
  config: SyslogInputConfig;
  input: DeliveryInput;
  dataDir: string;
  logger?: Logger;
  hostName?: string;
}

export class SyslogSource implements Source {
  readonly id: string;
  readonly type = 'syslog';
  readonly #options: SyslogSourceOptions;
  /** os.hostname() is a system call: asked once, not per message. */
  readonly #observer: string;
  readonly #boot = randomUUID();
  #instance = '';
  #listener: Listener | undefined;
  #peers = 0;

  constructor(options: SyslogSourceOptions) {
    this.id = options.id;
    this.#options = options;
    this.#observer = options.hostName ?? hostname();
    options.input.metrics.status = () => this.status();
  }

  /** The bound address (the port, when the config asked for port 0). */
  get address(): { host: string; port: number } | undefined {
    const address = this.#listener?.address;
    return address ? { host: address.address, port: address.port } : undefined;
  }

  async start(): Promise<void> {
    const { config, input } = this.#options;
    this.#instance = await instanceId(this.#options.dataDir);
    const streamOf = (peer: Peer) => this.#streamOf(peer);
    const open = (peer: Peer) => new PeerRuns(peer, input, streamOf);
    try {
      this.#listener =
        config.protocol === 'udp'
          ? await listenDatagrams(config, input, `udp-${this.#boot}`, open)
          : await listenStream(config, input, () => `${config.protocol}-${this.#boot}-${++this.#peers}`, open);
    } catch (error) {
      throw new FaultlineError('FL_ERR_SERVER_START', `syslog input '${this.id}' cannot listen on ${config.protocol}://${config.host}:${config.port}: ${describeError(error)}`, {
        input: this.id,
      });
    }
    (this.#options.logger ?? silentLogger).info('syslog listening', { input: this.id, protocol: config.protocol, host: config.host, port: this.#listener.address.port });
  }

  async stop(): Promise<void> {
    await this.#listener?.close();
  }

  async close(): Promise<void> {}

  status(): JsonObject {
    const { config } = this.#options;
    return {
      protocol: config.protocol,
      listening: this.#listener ? `${this.#listener.address.address}:${this.#listener.address.port}` : null,
      connections: this.#listener?.connections ?? 0,
      connections_total: this.#peers,
    };
  }

  /** The peer's stream, made anew when a UDP socket's peer changed senders. */
  #streamOf(peer: Peer): PeerStream {
    let stream = peer.stream as PeerStream | undefined;
    // A connection keeps its peer; a UDP socket's peer changes with each datagram's sender.
    if (stream === undefined || stream.ip !== peer.ip || stream.port !== peer.port) {
      stream = this.#stream(peer, stream);
      peer.stream = stream;
    }
    return stream;
  }

  /** What every message of this peer shares: its id maker and its context (read-only: parses copy it). */
  #stream(peer: Peer, previous: PeerStream | undefined): PeerStream {
    const { config } = this.#options;
    const context: JsonObject = {
      // The sender is where the log came from, not what it is about: `source.*` is left to the
      // message (an sshd login's client), as Beats do.
      log: { source: { address: peer.ip.includes(':') ? `[${peer.ip}]:${peer.port}` : `${peer.ip}:${peer.port}`, ip: peer.ip } },
      network: { transport: peer.transport, protocol: 'syslog' },
      observer: { hostname: this.#observer },
      event: { timezone: config.timezone },
    };
    if (peer.tls) context['tls'] = { established: true };
    if (Object.keys(config.labels).length > 0) context['labels'] = { ...config.labels };
    return { ip: peer.ip, port: peer.port, ids: previous?.ids ?? syslogStreamIds(this.#instance, peer.id), context: sharedContext(context) };
  }
}
