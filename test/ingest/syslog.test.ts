/**
 * The syslog source against real senders: util-linux `logger` over UDP, TCP and TCP with octet
 * counting, in RFC 3164 and RFC 5424; a TLS client; and abuse (garbage, cut frames, 1 MiB lines,
 * invalid UTF-8, 10,000 connections opened and dropped) after which every well-formed message is
 * still stored. The real embedded store holds the result.
 */
import { execFile as execFileCallback, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultlineEvent } from '../../core/event/types.ts';
import { defaultParse } from '../../ingest/default-parse.ts';
import { deliveryConfigSchema } from '../../ingest/delivery/config.ts';
import { Delivery } from '../../ingest/delivery/delivery.ts';
import { syslogInputConfigSchema, type SyslogInputConfigInput } from '../../ingest/sources/syslog/config.ts';
import { SyslogSource } from '../../ingest/sources/syslog/source.ts';
import type { Store } from '../../store/contract.ts';
import { openStore } from '../../store/open.ts';
import { q } from '../../store/query.ts';
import { scan } from '../../store/scan.ts';

const execFile = promisify(execFileCallback);
const root = mkdtempSync(join(tmpdir(), 'faultline-syslog-'));
let store: Store;
let delivery: Delivery;
const sources: SyslogSource[] = [];

beforeAll(async () => {
  store = await openStore({ type: 'embedded', path: join(root, 'data') });
  delivery = await Delivery.open({ store, dataDir: join(root, 'data'), config: deliveryConfigSchema.parse({ flush_interval: '20ms' }) });
});

afterAll(async () => {
  for (const source of sources) await source.stop();
  await delivery.close();
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

async function listen(id: string, options: Omit<SyslogInputConfigInput, 'type' | 'port'>): Promise<number> {
  const config = syslogInputConfigSchema.parse({ type: 'syslog', port: 0, host: '127.0.0.1', ...options });
  const source = new SyslogSource({ id, config, input: delivery.input(id, 'syslog', defaultParse), dataDir: join(root, 'data') });
  await source.start();
  sources.push(source);
  return source.address?.port ?? 0;
}

async function storedMessages(marker: string): Promise<FaultlineEvent[]> {
  await delivery.flush();
  const events: FaultlineEvent[] = [];
  for await (const event of scan(store, { query: q.all(), range: { from: 0, to: Date.now() + 86_400_000 }, pageSize: 5000 })) {
    if (String(event.message).includes(marker)) events.push(event);
  }
  return events;
}

async function waitForMessages(marker: string, count: number): Promise<FaultlineEvent[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = await storedMessages(marker);
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const RFC3164 = /^<13>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ faultline-test: (\S+ \d+)$/;
const RFC5424 = /^<13>1 \d{4}-\d\d-\d\dT\S+ \S+ faultline-test - - \[timeQuality [^\]]*\] (\S+ \d+)$/;
const MESSAGES = 200;

describe('syslog source with logger', () => {
  const modes: { name: string; protocol: 'udp' | 'tcp'; flags: string[] }[] = [
    { name: 'udp', protocol: 'udp', flags: ['--udp'] },
    { name: 'tcp', protocol: 'tcp', flags: ['--tcp'] },
    { name: 'octet', protocol: 'tcp', flags: ['--tcp', '--octet-count'] },
  ];
  for (const mode of modes) {
    for (const [format, pattern] of [
      ['rfc3164', RFC3164],
      ['rfc5424', RFC5424],
    ] as const) {
      it(`receives every message from logger ${mode.flags.join(' ')} --${format}, as logger sent it`, async () => {
        const port = await listen(`${mode.name}-${format}`, { protocol: mode.protocol });
        const marker = `${mode.name}-${format}-marker`;
        const file = join(root, `${marker}.txt`);
        writeFileSync(file, Array.from({ length: MESSAGES }, (_, n) => `${marker} ${n}\n`).join(''));
        await execFile('/usr/bin/logger', [...mode.flags, `--${format}`, '--server', '127.0.0.1', '--port', String(port), '-t', 'faultline-test', '-f', file]);
        const events = await waitForMessages(marker, MESSAGES);
        const bodies = events.map((event) => pattern.exec(String(event.message))?.[1]);
        expect(bodies.sort()).toEqual(Array.from({ length: MESSAGES }, (_, n) => `${marker} ${n}`).sort());
        expect(events[0]).toMatchObject({
          log: { source: { ip: '127.0.0.1', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) } },
          network: { transport: mode.protocol, protocol: 'syslog' },
          observer: { hostname: hostname() },
        });
        // `source.*` is what the message is about; logger's messages name no source.
        expect(events[0]?.['source']).toBeUndefined();
      });
    }
  }
});

describe('syslog source under abuse', () => {
  it('keeps serving through garbage, cut frames, 1 MiB lines, invalid UTF-8 and 10,000 dropped connections', async () => {
    const port = await listen('abuse', { protocol: 'tcp', max_connections: 5000 });
    const udpPort = await listen('abuse-udp', { protocol: 'udp' });
    const send = (bytes: Buffer | string, options: { end?: boolean } = {}) =>
      new Promise<void>((resolve) => {
        const socket: Socket = connect(port, '127.0.0.1', () => {
          socket.write(bytes, () => (options.end === false ? socket.destroy() : socket.end()));
        });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });

    await send(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a, 0x80, 0x81]));
    await send('999999999999999999999 not an octet count\n<13>abuse-good 1\n');
    await send('50 <13>cut short', { end: false });
    await send(`<13>abuse-long ${'y'.repeat(1024 * 1024)}\n<13>abuse-good 2\n`);
    await send(Buffer.concat([Buffer.from('<13>abuse-good 3 '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
    // 10,000 connections, in waves of 200 so that both ends (2 descriptors each, all in this
    // process) stay far below a default `ulimit -n` of 1024. Each quarter goes away differently:
    // destroyed at once, ended without a word, one good message then ended, garbage then destroyed.
    const connections = 10_000;
    const wave = 200;
    const drop = (n: number) =>
      new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          if (n % 4 === 0) socket.destroy();
          else if (n % 4 === 1) socket.end();
          else if (n % 4 === 2) socket.end(`<13>abuse-conn ${n}\n`);
          else socket.write(Buffer.from(`\u0000\u00ff garbage ${n}`, 'latin1'), () => socket.destroy());
        });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });
    for (let opened = 0; opened < connections; opened += wave) {
      await Promise.all(Array.from({ length: wave }, (_, k) => drop(opened + k)));
    }
    await send('<13>abuse-good 4\n');
    await execFile('/usr/bin/logger', ['--tcp', '--octet-count', '--server', '127.0.0.1', '--port', String(port), '-t', 'faultline-test', 'abuse-good 5']);
    await execFile('/usr/bin/logger', ['--udp', '--server', '127.0.0.1', '--port', String(udpPort), '-t', 'faultline-test', 'abuse-good 6']);

    const good = await waitForMessages('abuse-good', 6);
    const fromConnections = await waitForMessages('abuse-conn', connections / 4);
    const numbers = fromConnections.map((event) => Number(/abuse-conn (\d+)$/.exec(String(event.message))?.[1]));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: connections / 4 }, (_, k) => 4 * k + 2));
    expect(good.map((event) => /abuse-good (\d)/.exec(String(event.message))?.[1]).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(good.find((event) => String(event.message).startsWith('<13>abuse-good 3'))?.message).toBe('<13>abuse-good 3 \ufffd(');
    const long = await storedMessages('abuse-long');
    expect(long).toHaveLength(1);
    expect(long[0]?.tags).toEqual(['_truncated']);
    expect(String(long[0]?.message)).toHaveLength(64 * 1024);
    const cut = await storedMessages('cut short');
    expect(cut[0]?.tags).toEqual(['_truncated']);
  });
});

describe('syslog over TLS', () => {
  it('receives octet-counted messages over TLS (RFC 5425)', async () => {
    const key = join(root, 'key.pem');
    const cert = join(root, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const port = await listen('tls', { protocol: 'tls', tls: { cert_file: cert, key_file: key } });
    const messages = Array.from({ length: 50 }, (_, n) => `<13>1 2026-01-01T00:00:00Z host app - - - tls-marker ${n}`);
    await new Promise<void>((resolve, reject) => {
      const socket = connectTls({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
        socket.end(messages.map((message) => `${Buffer.byteLength(message)} ${message}`).join(''));
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    const events = await waitForMessages('tls-marker', 50);
    expect(events.map((event) => event.message).sort()).toEqual([...messages].sort());
    expect(events[0]).toMatchObject({ tls: { established: true } });
  });
});
