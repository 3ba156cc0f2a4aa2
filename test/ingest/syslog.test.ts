/**
 * The syslog source against real senders: util-linux `logger` over UDP, TCP and TCP with octet
 * counting, in RFC 3164 and RFC 5424 (with MSGID and structured data), through the `syslog`
 * pipeline as `faultline serve` runs it, each field checked; a TLS client; and abuse (garbage, cut
 * frames, 1 MiB lines, invalid UTF-8, 10,000 connections opened and dropped) after which every
 * well-formed message is still stored. The embedded store holds the result, and Elasticsearch
 * where the tests have it.
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
import { loadConfiguredPipelines } from '../../pipelines/index.ts';
import { pipelineParseResolver } from '../../runtime/parse.ts';
import type { Store } from '../../store/contract.ts';
import { openStore } from '../../store/open.ts';
import { q } from '../../store/query.ts';
import { scan } from '../../store/scan.ts';
import { describePerBackend, type IngestBackend } from './backends.ts';

const execFile = promisify(execFileCallback);
const root = mkdtempSync(join(tmpdir(), 'faultline-syslog-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const resolveParse = pipelineParseResolver(loadConfiguredPipelines(undefined));

/** A delivery into the backend's store, the sources opened on it, and reading back what they stored. */
function harness(backend: IngestBackend) {
  const dataDir = join(root, backend.name);
  let store: Store;
  let delivery: Delivery;
  const sources: SyslogSource[] = [];

  beforeAll(async () => {
    store = await openStore(backend.storeConfig(dataDir));
    delivery = await Delivery.open({ store, dataDir, config: deliveryConfigSchema.parse({ flush_interval: '20ms' }) });
  });

  afterAll(async () => {
    for (const source of sources) await source.stop();
    await delivery.close();
    await store.close();
  });

  /**
   * Opens a source; its port. Its messages go through the pipeline it names as `faultline serve`
   * runs them (`syslog` by default), or, with `raw`, become the events' `message` as they came.
   */
  async function listen(id: string, options: Omit<SyslogInputConfigInput, 'type' | 'port'>, raw = false): Promise<number> {
    const config = syslogInputConfigSchema.parse({ type: 'syslog', port: 0, host: '127.0.0.1', ...options });
    const source = new SyslogSource({ id, config, input: delivery.input(id, 'syslog', raw ? defaultParse : resolveParse(config.pipeline)), dataDir });
    await source.start();
    sources.push(source);
    return source.address?.port ?? 0;
  }

  async function storedMessages(marker: string): Promise<FaultlineEvent[]> {
    await delivery.flush();
    await store.refresh();
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

  return { listen, storedMessages, waitForMessages };
}

const MESSAGES = 200;

describePerBackend('syslog source', 'syslog', (backend) => {
  const { listen, storedMessages, waitForMessages } = harness(backend);

  describe('with logger', () => {
    const modes: { name: string; protocol: 'udp' | 'tcp'; flags: string[] }[] = [
      { name: 'udp', protocol: 'udp', flags: ['--udp'] },
      { name: 'tcp', protocol: 'tcp', flags: ['--tcp'] },
      { name: 'octet', protocol: 'tcp', flags: ['--tcp', '--octet-count'] },
    ];
    // RFC 5424 messages carry a MSGID and structured data of their own, beside the timeQuality
    // element logger adds; both formats carry logger's PID and the priority local4.notice (165).
    const formats = [
      { format: 'rfc3164', flags: [] },
      { format: 'rfc5424', flags: ['--msgid', 'INV7', '--sd-id', 'order@32473', '--sd-param', 'id="42"', '--sd-param', 'total="9.90"'] },
    ] as const;
    for (const mode of modes) {
      for (const { format, flags } of formats) {
        it(`receives every message from logger ${mode.flags.join(' ')} --${format}, each field as documented`, async () => {
          const port = await listen(`${mode.name}-${format}`, { protocol: mode.protocol });
          const marker = `${mode.name}-${format}-marker`;
          const file = join(root, `${backend.name}-${marker}.txt`);
          writeFileSync(file, Array.from({ length: MESSAGES }, (_, n) => `${marker} ${n}\n`).join(''));
          const sent = Date.now();
          await execFile('/usr/bin/logger', [...mode.flags, `--${format}`, ...flags, '--server', '127.0.0.1', '--port', String(port), '-t', 'faultline-test', '-i', '-p', 'local4.notice', '-f', file]);
          const events = await waitForMessages(marker, MESSAGES);
          expect(events.map((event) => event.message).sort()).toEqual(Array.from({ length: MESSAGES }, (_, n) => `${marker} ${n}`).sort());

          const event = events[0] as FaultlineEvent;
          const syslog = (event['log'] as { syslog: Record<string, unknown> }).syslog;
          expect(event).toMatchObject({
            log: {
              level: 'notice',
              source: { ip: '127.0.0.1', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
              syslog: { priority: 165, facility: { code: 20, name: 'local4' }, severity: { code: 5, name: 'notice' }, appname: 'faultline-test' },
            },
            process: { name: 'faultline-test', pid: expect.any(Number) },
            network: { transport: mode.protocol, protocol: 'syslog' },
            observer: { hostname: hostname() },
          });
          // logger's own PID, the same in every message; its host name (RFC 3164 senders cut it at the first dot).
          const pid = (event['process'] as { pid: number }).pid;
          expect(syslog['procid']).toBe(String(pid));
          expect(new Set(events.map((each) => (each['process'] as { pid: number }).pid))).toEqual(new Set([pid]));
          expect((event['host'] as { name: string }).name).toBe(syslog['hostname']);
          expect(hostname().startsWith(String(syslog['hostname']))).toBe(true);
          // Sent a moment ago: RFC 3164's stamp has no year and no zone (inferred, and the input's
          // time zone, UTC here); RFC 5424's is complete. Whole seconds, so a second's slack.
          const at = Date.parse(event['@timestamp']);
          expect(at).toBeGreaterThanOrEqual(Math.floor(sent / 1000) * 1000 - 1000);
          expect(at).toBeLessThanOrEqual(Date.now() + 1000);
          if (format === 'rfc5424') {
            expect(syslog).toMatchObject({ version: '1', msgid: 'INV7', structured_data: { 'order@32473': { id: '42', total: '9.90' }, timeQuality: { tzKnown: '1' } } });
          } else {
            expect(syslog['msgid']).toBeUndefined();
            expect(syslog['structured_data']).toBeUndefined();
          }
          // `source.*` is what the message is about; logger's messages name no source.
          expect(event['source']).toBeUndefined();
          expect(event.tags ?? []).toEqual([]);
        });
      }
    }
  });

  describe('under abuse', () => {
    it('keeps serving through garbage, cut frames, 1 MiB lines, invalid UTF-8 and 10,000 dropped connections', async () => {
      const port = await listen('abuse', { protocol: 'tcp', max_connections: 5000 }, true);
      const udpPort = await listen('abuse-udp', { protocol: 'udp' }, true);
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

  describe('over TLS', () => {
    it('receives octet-counted messages over TLS (RFC 5425)', async () => {
      const key = join(root, `${backend.name}-key.pem`);
      const cert = join(root, `${backend.name}-cert.pem`);
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
      const port = await listen('tls', { protocol: 'tls', tls: { cert_file: cert, key_file: key } }, true);
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
});
