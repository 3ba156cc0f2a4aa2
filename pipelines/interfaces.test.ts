/**
 * The pipelines' outer surfaces: `faultline pipeline list|test|simulate` (cli/commands/pipeline.ts)
 * and `GET /api/pipelines`, `POST /api/pipelines/{id}/simulate` (query/api/routes/pipelines.ts).
 * They live here, not beside those files, while the CLI and the API are being wired by others.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerPipeline } from '../cli/commands/pipeline.ts';
import { FaultlineError } from '../core/errors.ts';
import { silentLogger } from '../core/log.ts';
import { errorResponse } from '../query/api/errors.ts';
import { pipelineRoutes } from '../query/api/routes/pipelines.ts';
import { loadConfiguredPipelines } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'faultline-pipeline-cli-'));
const userDir = join(root, 'pipelines');
const fixtures = join(root, 'fixtures');
const configFile = join(root, 'faultline.yaml');

// Written before the describe blocks are collected: the API suite loads the pipelines there.
{
  mkdirSync(userDir);
  mkdirSync(join(fixtures, 'shout'), { recursive: true });
  writeFileSync(join(userDir, 'shout.yaml'), 'id: shout\ndescription: upper-cases the message\nprocessors:\n  - uppercase: { field: message }\n');
  writeFileSync(configFile, `pipelines: { dir: ${JSON.stringify(userDir)} }\n`);
  writeFileSync(join(fixtures, 'shout', 'cases.yaml'), 'processors: [{ uppercase: { field: message } }]\ncases:\n  - name: passes\n    line: hi\n    event: { message: HI }\n  - name: fails\n    line: hi\n    event: { message: hi }\n');
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs `faultline pipeline ...` and returns what it printed. */
async function cli(...args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const program = new Command('faultline').exitOverride();
  registerPipeline(program);
  await program.parseAsync(['node', 'faultline', 'pipeline', ...args]);
  vi.restoreAllMocks();
  return out;
}

describe('faultline pipeline', () => {
  it('lists the built-ins and the user pipelines of pipelines.dir', async () => {
    const out = await cli('list', '--config', configFile);
    expect(out).toMatch(/^apache-access +\d+ processors +built-in$/m);
    expect(out.split('\n')).toContain(`${'shout'.padEnd('apache-access'.length)}    1 processors  ${join(userDir, 'shout.yaml')}`);
  });

  it('runs the built-ins\' fixtures by default, all passing', async () => {
    const out = await cli('test', '--config', configFile);
    expect(out).toMatch(/^\d+ passed, 0 failed \(\d+ files in .*fixtures\)$/m);
    expect(process.exitCode).toBeUndefined();
  });

  it('prints a failing case with its diff and exits 1', async () => {
    const out = await cli('test', fixtures, '--config', configFile);
    expect(out).toBe(`FAIL shout/cases.yaml:6  fixture: fails\n       - message: "hi"\n       + message: "HI"\n1 passed, 1 failed (1 files in ${fixtures})\n`);
    expect(process.exitCode).toBe(1);
  });

  it('simulates lines from a file, as text and as JSON', async () => {
    const input = join(root, 'input.log');
    writeFileSync(input, 'Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2\r\n\r\nnot syslog\n');
    const text = await cli('simulate', 'syslog', input, '--config', configFile);
    expect(text).toContain('# 1: Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password');
    expect(text).toMatch(/ {2}processors\[0\] syslog +ok +\d+\.\dµs\n {6}\+ log\.syslog\.hostname: "LabSZ"/);
    expect(text).toContain('processors[2] group[sshd]');
    expect(text).toContain('  processors[2].group.processors[0] grok');
    expect(text).toContain('      + user.name: "fztu"');
    expect(text).toMatch(/\(\d+ processors skipped: their condition did not hold; --all lists them\)/);
    expect(text).toContain('# 2: not syslog');
    const json = (await cli('simulate', 'syslog', input, '--json', '--config', configFile)).trim().split('\n').map((line) => JSON.parse(line) as { event: { tags?: string[] }; trace: unknown[]; error: null });
    expect(json).toHaveLength(2);
    expect(json[0]?.event).toMatchObject({ user: { name: 'fztu' }, event: { outcome: 'success' } });
    expect(json[1]?.event.tags).toEqual(['_syslog_parse_failure']);
  });

  it('names the valid ids for an unknown pipeline', async () => {
    await expect(cli('simulate', 'nope', configFile, '--config', configFile)).rejects.toThrow(/^unknown pipeline 'nope'; valid: apache-access, apache-error, json, /);
  });
});

describe('the pipeline API', () => {
  const app = new OpenAPIHono({
    defaultHook: (result, context) => (result.success ? undefined : errorResponse(new FaultlineError('FL_ERR_QUERY_INVALID', result.error.issues[0]?.message ?? 'invalid'), context, silentLogger)),
  });
  app.onError((error, context) => errorResponse(error, context, silentLogger));
  pipelineRoutes(app, loadConfiguredPipelines(userDir, { now: () => Date.UTC(2026, 10, 23, 12) }));
  const post = async (path: string, body: unknown) => {
    const response = await app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists the pipelines with their description, file and processor count', async () => {
    const response = await app.request('/api/pipelines');
    const body = (await response.json()) as { pipelines: { id: string; builtin: boolean; processors: number; description: string | null }[] };
    expect(response.status).toBe(200);
    expect(body.pipelines.map((pipeline) => pipeline.id)).toEqual(['apache-access', 'apache-error', 'json', 'kubernetes', 'log4j', 'nginx-access', 'nginx-error', 'postgresql', 'python', 'shout', 'syslog']);
    expect(body.pipelines.find((pipeline) => pipeline.id === 'shout')).toEqual({ id: 'shout', description: 'upper-cases the message', file: join(userDir, 'shout.yaml'), builtin: false, processors: 1 });
    expect(body.pipelines.find((pipeline) => pipeline.id === 'syslog')).toMatchObject({ builtin: true });
  });

  it('simulates lines with a trace per processor', async () => {
    const { status, body } = await post('/api/pipelines/syslog/simulate', { lines: ['<34>Oct 11 22:14:15 mymachine su: x'], context: { event: { timezone: 'UTC' } } });
    expect(status).toBe(200);
    const [result] = body['results'] as { event: Record<string, unknown>; trace: { processor: string; status: string; added?: Record<string, unknown> }[]; error: null }[];
    expect(result?.error).toBeNull();
    expect(result?.event).toMatchObject({ '@timestamp': '2026-10-11T22:14:15.000Z', host: { name: 'mymachine' }, event: { timezone: 'UTC' } });
    expect(result?.trace[0]).toMatchObject({ processor: 'syslog', status: 'ok', added: { 'host.name': 'mymachine', 'log.level': 'critical' } });
    expect(result?.trace.filter((entry) => entry.status === 'skipped').length).toBeGreaterThan(2);
  });

  it('simulates events, and reports a failure in the result', async () => {
    const { body } = await post('/api/pipelines/json/simulate', { events: [{ message: '{"msg":"hi","level":"info"}' }, { message: 'nope' }] });
    const results = body['results'] as { event: Record<string, unknown>; error: string | null }[];
    expect(results[0]).toMatchObject({ event: { message: 'hi', log: { level: 'info' } }, error: null });
    expect(results[1]?.error).toMatch(/^json: not valid JSON/);
    expect(results[1]?.event).toMatchObject({ message: 'nope', tags: ['_pipeline_error'] });
  });

  it('answers 404 for an unknown id and 400 for a bad body', async () => {
    expect(await post('/api/pipelines/nope/simulate', { lines: ['x'] })).toMatchObject({ status: 404, body: { error: { code: 'FL_ERR_NOT_FOUND' } } });
    expect(await post('/api/pipelines/syslog/simulate', { lines: ['x'], events: [{}] })).toMatchObject({ status: 400, body: { error: { message: 'give exactly one of lines and events' } } });
    expect((await post('/api/pipelines/syslog/simulate', { lines: [] })).status).toBe(400);
  });
});
