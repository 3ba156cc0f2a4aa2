import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../../core/errors.ts';
import { loadPipelines, loadPipelinesFromText } from '../../index.ts';
import { loadErrorOf } from '../../testing/harness.ts';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('loading pipeline files', () => {
  it('names file:line:col, the key path and the valid processors for a typo', () => {
    const text = lines(
      'id: x',
      'processors:',
      '  - set:',
      '      field: a',
      '      value: 1',
      '  - rename: { field: a, target_field: b }',
      '  - grk:',
      '      field: message',
    );
    expect(loadErrorOf(text)).toBe(
      "pipelines/x.yaml:7:5: processors[2]: unknown processor 'grk' (did you mean 'grok'?); valid: append, convert, copy, csv, date, dissect, drop, fingerprint, geoip, grok, group, gsub, join, json, kv, level, lowercase, nest, pipeline, regex, remove, rename, set, split, syslog, trim, truncate, uppercase, url, user_agent",
    );
  });

  it('points at an unknown option key and lists the valid options', () => {
    const text = lines('id: x', 'processors:', '  - grok:', '      field: message', '      pattern: ["%{WORD}"]');
    expect(loadErrorOf(text)).toBe(
      'pipelines/x.yaml:3:5: processors[0].grok.patterns: required (array)\n' +
        "pipelines/x.yaml:5:7: processors[0].grok.pattern: unknown option 'pattern' (did you mean 'patterns'?); valid: field, ignore_missing, max_input_length, patterns, pattern_definitions, if, ignore_failure, on_failure, tag, description",
    );
  });

  it('points at a bad pattern, a bad condition and a wrong type, all at once', () => {
    const text = lines(
      'id: x',
      'processors:',
      '  - grok:',
      '      patterns: ["%{NOPE:x}"]',
      '  - set:',
      '      if: log.level ==',
      '      field: a',
      '      value: 1',
      '  - truncate: { field: a, length: "ten" }',
    );
    const message = loadErrorOf(text);
    expect(message.split('\n')).toEqual([
      "pipelines/x.yaml:4:18: processors[0].grok.patterns[0]: unknown grok pattern 'NOPE'; see the pattern library or add it to pattern_definitions",
      'pipelines/x.yaml:6:11: processors[1].set.if: expected a field name, a string, a number, true, false or null, found the end of the condition at column 13: log.level ==',
      'pipelines/x.yaml:9:35: processors[2].truncate.length: expected number, got string "ten"',
    ]);
  });

  it('explains an entry whose options are not indented under the name', () => {
    const text = lines('id: x', 'processors:', '  - grok:', '    field: message');
    expect(loadErrorOf(text)).toBe('pipelines/x.yaml:3:5: processors[0]: a processor entry has exactly one key, the processor name; found grok, field; options go under the processor name, indented');
  });

  it('refuses unknown pipeline keys, invalid YAML and a missing id', () => {
    expect(loadErrorOf(lines('id: x', 'processor: []'))).toBe(
      "pipelines/x.yaml:1:1: processors: required (array)\npipelines/x.yaml:2:1: processor: unknown option 'processor' (did you mean 'processors'?); valid: id, description, keep_original, processors, on_failure",
    );
    expect(loadErrorOf('id: x\nprocessors: [\n')).toMatch(/^pipelines\/x\.yaml:3:1: \(file\): not valid YAML: /);
    expect(loadErrorOf(lines('processors: []'))).toBe('pipelines/x.yaml:1:1: id: required (string)');
  });

  it('checks pipeline references at load: unknown ids and cycles', () => {
    const a = { file: 'a.yaml', text: lines('id: a', 'processors:', '  - pipeline: { name: b }') };
    const b = { file: 'b.yaml', text: lines('id: b', 'processors:', '  - set: { field: x, value: 1 }', '  - pipeline:', '      name: a') };
    const c = { file: 'c.yaml', text: lines('id: c', 'processors:', '  - pipeline: { name: nope }') };
    const error = (() => {
      try {
        loadPipelinesFromText([[a, b, c]]);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isFaultlineError(error) && error.code).toBe('FL_ERR_PIPELINE_INVALID');
    expect((error as Error).message.split('\n')).toEqual([
      'b.yaml:5:13: processors[1].pipeline.name: pipeline cycle: a -> b -> a',
      "c.yaml:3:23: processors[0].pipeline.name: unknown pipeline 'nope'; valid: a, b, c",
    ]);
  });

  it('refuses the same id twice in one directory', () => {
    const one = { file: 'one.yaml', text: lines('id: same', 'processors: []') };
    const two = { file: 'two.yaml', text: lines('id: same', 'processors: []') };
    expect(() => loadPipelinesFromText([[one, two]])).toThrow("two.yaml:1:5: id: pipeline id 'same' is already defined in one.yaml");
  });

  it('loads directories in order: a later directory replaces an id of an earlier one', () => {
    const root = mkdtempSync(join(tmpdir(), 'faultline-pipelines-'));
    const builtin = join(root, 'builtin');
    const user = join(root, 'user');
    mkdirSync(builtin);
    mkdirSync(user);
    writeFileSync(join(builtin, 'syslog.yaml'), lines('id: syslog', 'processors:', '  - set: { field: from, value: builtin }'));
    writeFileSync(join(builtin, 'json.yml'), lines('id: json', 'processors:', '  - json: { add_to_root: true }'));
    writeFileSync(join(user, 'syslog.yaml'), lines('id: syslog', 'processors:', '  - set: { field: from, value: user }'));
    writeFileSync(join(user, 'notes.txt'), 'not a pipeline');
    const pipelines = loadPipelines({ directories: [builtin, user] });
    expect(pipelines.ids()).toEqual(['json', 'syslog']);
    expect(pipelines.get('syslog').run('x')).toEqual({ message: 'x', from: 'user' });
    expect(pipelines.get('syslog').file).toBe(join(user, 'syslog.yaml'));
  });

  it('names the valid ids for an unknown one, and an unreadable directory', () => {
    const pipelines = loadPipelinesFromText([[{ file: 'a.yaml', text: lines('id: a', 'processors: []') }]]);
    expect(() => pipelines.get('b')).toThrow("unknown pipeline 'b'; valid: a");
    expect(() => loadPipelines({ directories: ['/nonexistent/pipelines'] })).toThrow(/^\/nonexistent\/pipelines: cannot read the pipeline directory/);
  });
});

describe('the README example', () => {
  it('loads and runs on an OpenSSH line', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match, index) => ({ file: `README.md#${index}`, text: match[1] as string }));
    expect(blocks.length).toBeGreaterThan(0);
    const pipelines = loadPipelinesFromText([blocks], { now: () => Date.UTC(2026, 10, 23) });
    const line = 'Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2';
    expect(pipelines.get('sshd').run(line)).toEqual({
      message: 'Accepted password for fztu from 119.137.62.142 port 49116 ssh2',
      event: { original: line, outcome: 'success' },
      host: { name: 'LabSZ' },
      process: { name: 'sshd', pid: 24680 },
      '@timestamp': '2025-12-10T08:32:20.000Z',
      user: { name: 'fztu' },
      source: { ip: '119.137.62.142', port: 49116 },
    });
  });
});
