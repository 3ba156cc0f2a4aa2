import { appendFileSync, mkdirSync, renameSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../core/event/types.ts';
import { fileFixture, messages, waitUntil, type FileFixture } from '../../testing/file-fixture.ts';
import { memoryStore, type MemoryStore } from '../../testing/stores.ts';
import type { FileInputConfigInput } from './config.ts';

const fixtures: FileFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) {
    await fixture.stop();
    fixture.dispose();
  }
});

function setup(input: Partial<FileInputConfigInput> = {}): { store: MemoryStore; fixture: FileFixture } {
  const store = memoryStore();
  const fixture = fileFixture(store, input);
  mkdirSync(fixture.logs, { recursive: true });
  fixtures.push(fixture);
  return { store, fixture };
}

const lines = (from: number, to: number, prefix = 'line') => Array.from({ length: to - from }, (_, i) => `${prefix} ${from + i}\n`).join('');
const sorted = (store: MemoryStore) => messages(store.events.values()).sort();

describe('FileSource', () => {
  it('reads existing files, follows appends and new files, with ids from identity and offset', async () => {
    const { store, fixture } = setup();
    const app = join(fixture.logs, 'app.log');
    writeFileSync(app, 'first\r\nsecond\n');
    await fixture.start();
    await waitUntil(() => store.events.size === 2);
    appendFileSync(app, 'third\npartial');
    writeFileSync(join(fixture.logs, 'new.log'), 'other\n');
    await waitUntil(() => store.events.size === 4);
    expect(sorted(store)).toEqual(['first', 'other', 'second', 'third']);
    const third = [...store.events.values()].find((event) => event['message'] === 'third') as JsonObject;
    expect(third).toMatchObject({ log: { file: { path: app }, offset: 14 }, host: { name: 'test-host' } });
    appendFileSync(app, ' line\n');
    await waitUntil(() => store.events.size === 5);
    expect(sorted(store)).toContain('partial line');
  });

  it('resumes from its checkpoint after a restart and starts at the end only on the first run with start_at: end', async () => {
    const { store, fixture } = setup({ start_at: 'end' });
    const app = join(fixture.logs, 'app.log');
    writeFileSync(app, lines(0, 10));
    await fixture.start();
    appendFileSync(app, lines(10, 20));
    await waitUntil(() => store.events.size === 10);
    await fixture.stop();
    appendFileSync(app, lines(20, 30));
    writeFileSync(join(fixture.logs, 'while-stopped.log'), 'created while stopped\n');
    await fixture.start();
    await waitUntil(() => store.events.size === 21);
    expect(sorted(store)).toEqual([...lines(10, 30).trim().split('\n'), 'created while stopped'].sort());
  });

  it('follows rename rotation, truncation, and deletion; reads a rotated file that was gzipped without duplicates', async () => {
    const { store, fixture } = setup();
    const app = join(fixture.logs, 'app.log');
    writeFileSync(app, lines(0, 100));
    await fixture.start();
    await waitUntil(() => store.events.size === 100);
    appendFileSync(app, lines(100, 150));
    renameSync(app, `${app}.1`);
    writeFileSync(app, lines(150, 200));
    appendFileSync(`${app}.1`, lines(200, 210));
    await waitUntil(() => store.events.size === 210, 10_000, 'rename rotation');
    writeFileSync(`${app}.1.gz`, gzipSync(Buffer.from(lines(0, 150) + lines(200, 210))));
    unlinkSync(`${app}.1`);
    truncateSync(app, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    appendFileSync(app, lines(210, 220, 'after truncate'));
    await waitUntil(() => store.events.size === 220, 10_000, 'truncation');
    unlinkSync(app);
    writeFileSync(app, lines(220, 230, 'recreated'));
    await waitUntil(() => store.events.size === 230, 10_000, 'delete and recreate');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(store.events.size).toBe(230);
  });

  it('reads gzip files whole, JSON arrays element by element, NDJSON objects, and symlinks once', async () => {
    const { store: ndStore, fixture: nd } = setup({ format: 'ndjson' });
    writeFileSync(join(nd.logs, 'a.ndjson'), '{"message":"one","service":{"name":"api"}}\nnot json\n');
    writeFileSync(join(nd.logs, 'b.ndjson.gz'), gzipSync('{"message":"zipped"}\n'));
    symlinkSync(join(nd.logs, 'a.ndjson'), join(nd.logs, 'link.ndjson'));
    await nd.start();
    await waitUntil(() => ndStore.events.size === 3);
    const byMessage = new Map([...ndStore.events.values()].map((event) => [event['message'], event]));
    expect(byMessage.get('one')).toMatchObject({ service: { name: 'api' } });
    expect(byMessage.get('not json')).toMatchObject({ tags: ['_json_parse_failure'] });
    expect(byMessage.has('zipped')).toBe(true);

    const { store, fixture } = setup({ format: 'json_array' });
    const elements = Array.from({ length: 500 }, (_, i) => ({ message: `element ${i}` }));
    writeFileSync(join(fixture.logs, 'dump.json'), JSON.stringify(elements));
    await fixture.start();
    await waitUntil(() => store.events.size === 500);
    await waitUntil(async () => (await fixture.source?.caughtUp()) === true);
    await fixture.stop();
    await fixture.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.writes.flat()).toHaveLength(500);
  });

  it('notices a file truncated and rewritten to the very size it was read to, with other content', async () => {
    const { store, fixture } = setup();
    const app = join(fixture.logs, 'app.log');
    // Past the 1,024 bytes of a full fingerprint.
    writeFileSync(app, lines(1000, 1200, 'first'));
    await fixture.start();
    await waitUntil(() => store.events.size === 200);
    // Both in one tick, so no check falls between them; the new lines have the same length as the old.
    truncateSync(app, 0);
    writeFileSync(app, lines(1200, 1400, 'other'));
    await waitUntil(() => store.events.size === 400, 10_000, 'same-size rewrite');
    expect(messages(store.events.values()).filter((message) => message.startsWith('other'))).toHaveLength(200);
  });

  it('assembles multiline events, truncates long lines, and keeps an open event across a restart', async () => {
    const { store, fixture } = setup({ multiline: { preset: 'java', timeout: '200ms' }, max_line_bytes: 64 });
    const app = join(fixture.logs, 'app.log');
    writeFileSync(app, `ERROR failed\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\nINFO ${'x'.repeat(100)}\n`);
    await fixture.start();
    await waitUntil(() => store.events.size === 2);
    const [first, second] = [...store.events.values()].sort((a, b) => Number((a['log'] as JsonObject)['offset']) - Number((b['log'] as JsonObject)['offset']));
    expect(first?.['message']).toBe('ERROR failed\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)');
    expect(second).toMatchObject({ tags: ['_truncated'] });
    expect(String(second?.['message'])).toHaveLength(64);

    appendFileSync(app, 'WARN open event\n\tat x.Y.z(Y.java:2)\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fixture.stop();
    appendFileSync(app, '\tat x.Y.w(Y.java:3)\n');
    await fixture.start();
    await waitUntil(() => store.events.size === 3);
    expect(sorted(store)).toContain('WARN open event\n\tat x.Y.z(Y.java:2)\n\tat x.Y.w(Y.java:3)');
  });
});
