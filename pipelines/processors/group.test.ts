import { describe, expect, it } from 'vitest';
import { simulate } from '../engine/simulate.ts';
import { loadErrorOf, pipelineOf, stored } from '../testing/harness.ts';

describe('group', () => {
  const pipeline = () =>
    pipelineOf([
      {
        group: {
          tag: 'sshd',
          if: 'process.name == "sshd"',
          processors: [{ grok: { patterns: ['^Accepted %{WORD} for %{USERNAME:user.name}'] } }, { set: { field: 'event.outcome', value: 'success' } }],
        },
      },
      { set: { field: 'after', value: true } },
    ]);

  it('runs its processors under one condition, and counts them under their own paths', () => {
    const grouped = pipeline();
    expect(stored(grouped.run({ process: { name: 'sshd' }, message: 'Accepted password for alice from x' }))).toMatchObject({ user: { name: 'alice' }, event: { outcome: 'success' }, after: true });
    expect(stored(grouped.run({ process: { name: 'cron' }, message: 'x' }))).toEqual({ process: { name: 'cron' }, message: 'x', after: true });
    expect(grouped.metrics().processors.map(({ path, processed }) => [path, processed])).toEqual([
      ['processors[0]', 1],
      ['processors[0].group.processors[0]', 1],
      ['processors[0].group.processors[1]', 1],
      ['processors[1]', 2],
    ]);
  });

  it('fails as a whole when a processor inside fails', () => {
    const event = pipeline().run({ process: { name: 'sshd' }, message: 'Failed password' });
    expect(stored(event)).toEqual({
      process: { name: 'sshd' },
      message: 'Failed password',
      error: { message: "group[sshd]: grok: no pattern matched field 'message'" },
      tags: ['_pipeline_error'],
    });
  });

  it('shows its processors one level deeper in a trace', () => {
    const [result] = simulate(pipeline(), [{ process: { name: 'sshd' }, message: 'Accepted password for alice' }]);
    expect(result?.trace.map(({ path, depth, status }) => [path, depth, status])).toEqual([
      ['processors[0]', 0, 'ok'],
      ['processors[0].group.processors[0]', 1, 'ok'],
      ['processors[0].group.processors[1]', 1, 'ok'],
      ['processors[1]', 0, 'ok'],
    ]);
  });

  it('reports problems inside it with their position', () => {
    const text = ['id: x', 'processors:', '  - group:', '      processors:', '        - set: { field: a }', ''].join('\n');
    expect(loadErrorOf(text)).toBe('pipelines/x.yaml:5:16: processors[0].group.processors[0].set: set needs exactly one of value and copy_from');
  });
});
