import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ingestConfigSchema, ingestInputConfigSchema, inputId } from './config.ts';
import { defaultParse } from './default-parse.ts';
import { startIngest } from './runtime.ts';
import { waitUntil } from './testing/file-fixture.ts';
import { memoryStore } from './testing/stores.ts';
import type { SyslogSource } from './sources/syslog/source.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ingest config', () => {
  it('accepts the inputs of DESIGN.md and every option, and refuses unknown keys', () => {
    const inputs = parseYaml(`
- { type: file, paths: ["/var/log/nginx/*.log"], pipeline: nginx-access }
- { type: syslog, protocol: udp, host: 127.0.0.1, port: 5514, pipeline: syslog }
- type: file
  id: app
  paths: [/var/log/app/*.log*]
  exclude: ["*.tmp"]
  start_at: end
  format: ndjson
  max_line_bytes: 256KiB
  multiline: { preset: java, timeout: 2s }
  close_inactive: 10m
- type: syslog
  protocol: tls
  port: 6514
  max_message_bytes: 128KiB
  max_connections: 500
  tls: { cert_file: /etc/faultline/cert.pem, key_file: /etc/faultline/key.pem, client_auth: optional }
`) as unknown[];
    const parsed = inputs.map((input) => ingestInputConfigSchema.parse(input));
    expect(parsed.map((input) => inputId(input))).toEqual([expect.stringMatching(/^file-[0-9a-f]{10}$/), 'syslog-udp-5514', 'app', 'syslog-tls-6514']);
    expect(parsed[2]).toMatchObject({ max_line_bytes: 262_144, multiline: { timeout: 2000 }, close_inactive: 600_000 });
    expect(() => ingestInputConfigSchema.parse({ type: 'file', paths: ['x'], tail: true })).toThrow(/tail/);
    expect(() => ingestInputConfigSchema.parse({ type: 'syslog', protocol: 'tls', port: 1 })).toThrow(/tls/);
    expect(() => ingestInputConfigSchema.parse({ type: 'file', paths: ['x'], multiline: { preset: 'java', start: '^x' } })).toThrow(/exactly one/);
    expect(ingestConfigSchema.parse({ delivery: { spool: { max_bytes: '2GiB' } } }).delivery.spool.max_bytes).toBe(2 * 1024 ** 3);
  });
});

describe('startIngest', () => {
  it('runs file and syslog inputs and the HTTP handler into one delivery, with metrics, and stops with checkpoints written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-runtime-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'a.log'), 'one\ntwo\n');
    const store = memoryStore();
    const inputs = [
      ingestInputConfigSchema.parse({ type: 'file', id: 'files', paths: [join(dir, 'logs', '*.log')], poll_interval: '20ms' }),
      ingestInputConfigSchema.parse({ type: 'syslog', id: 'udp', protocol: 'udp', port: 0 }),
    ];
    const ingest = await startIngest({ inputs, store, dataDir: join(dir, 'data'), resolveParse: () => defaultParse });
    const port = (ingest.sources[1] as SyslogSource).address?.port ?? 0;
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.send('<13>hello udp', port, '127.0.0.1', () => resolve()));
    socket.close();
    const response = await ingest.handleHttp(
      new Request('http://localhost/api/ingest', { method: 'POST', body: '{"@timestamp":"2026-01-01T00:00:00Z","message":"http"}', headers: { 'content-type': 'application/x-ndjson' } }),
    );
    expect(await response.json()).toEqual({ accepted: 1, rejected: [] });
    await waitUntil(() => store.events.size === 4);

    const snapshot = ingest.metrics.snapshot();
    expect(snapshot['inputs']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'files', type: 'file', received: 2, stored: 2, source: expect.objectContaining({ lag_bytes: 0 }) }),
        expect.objectContaining({ id: 'udp', type: 'syslog', received: 1, stored: 1 }),
        expect.objectContaining({ id: 'http', type: 'http', received: 1, stored: 1 }),
      ]),
    );
    const text = await ingest.metrics.text();
    expect(text).toContain('faultline_ingest_events_stored_total{input="files",type="file"} 2');
    expect(text).toContain('faultline_ingest_errors_total{input="udp",type="syslog",stage="receiving"} 0');
    expect(ingest.metrics.contentType).toContain('text/plain');

    await ingest.stop();
    const checkpoint = JSON.parse(readFileSync(join(dir, 'data', 'checkpoints', 'files.json'), 'utf8')) as { files: { offset: number }[] };
    expect(checkpoint.files.map((file) => file.offset)).toEqual([8]);
  });
});
