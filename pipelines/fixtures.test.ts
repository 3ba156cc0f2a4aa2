/** Every built-in pipeline's fixture files (pipelines/builtin/fixtures/<id>/*.yaml), case by case. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { difference, parseFixture, readFixtureFiles, runFixtures } from './fixtures.ts';
import { BUILTIN_DIRECTORY, BUILTIN_FIXTURES_DIRECTORY, loadConfiguredPipelines } from './index.ts';

const files = readFixtureFiles(BUILTIN_FIXTURES_DIRECTORY);
const results = runFixtures(files, { load: (now, extra) => loadConfiguredPipelines(undefined, { now, extra, timingSampleRate: 1 }), base: BUILTIN_FIXTURES_DIRECTORY });

describe('built-in pipeline fixtures', () => {
  it('cover every built-in pipeline', () => {
    const ids = readdirSync(BUILTIN_DIRECTORY).filter((name) => name.endsWith('.yaml')).map((name) => name.replace(/\.yaml$/, '')).sort();
    expect(ids).toEqual(['apache-access', 'apache-error', 'json', 'kubernetes', 'log4j', 'nginx-access', 'nginx-error', 'postgresql', 'python', 'syslog']);
    expect([...new Set(files.map((file) => file.pipeline))].sort()).toEqual(ids);
  });

  it.each(results.map((result) => [`${result.file}: ${result.name}`, result] as const))('%s', (_, result) => {
    expect(result.problems.join('\n')).toBe('');
  });
});

describe('the fixture runner', () => {
  it('reports field differences, drops and load problems', () => {
    expect(difference({ a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'x' }, d: true })).toEqual(['- a: 1', '+ a: 2', '+ d: true']);
    expect(difference({ a: {} }, {})).toEqual(['- {"a":{}}', '+ {}']);
    expect(difference(null, { a: 1 })).toEqual(['- (dropped)', '+ {"a":1}']);
    const fixture = parseFixture('f/x.yaml', 'processors:\n  - set: { field: a, value: 1 }\ncases:\n  - name: one\n    line: hi\n    event: { message: hi, a: 2 }\n');
    const [result] = runFixtures([fixture], { load: (now, extra) => loadConfiguredPipelines(undefined, { now, extra }) });
    expect(result).toMatchObject({ pipeline: 'fixture', name: 'one', where: 'f/x.yaml:4', passed: false, problems: ['- a: 2', '+ a: 1'] });
  });

  it('refuses a malformed fixture file with its position', () => {
    expect(() => parseFixture('f/x.yaml', 'cases:\n  - name: one\n    lines: [a]\n')).toThrow(/^f\/x\.yaml:3:5: cases\[0\]\.lines: unknown key 'lines'/);
    expect(() => parseFixture('f/x.yaml', 'cases:\n  - name: one\n    line: a\n')).toThrow('a case has exactly one expectation: event or dropped: true');
  });
});
