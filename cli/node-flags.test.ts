import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from './node-flags.ts';

const root = new URL('../', import.meta.url);

describe('the V8 flags Faultline runs with', () => {
  it('are on the first line of bin/faultline.js', () => {
    const shebang = readFileSync(new URL('bin/faultline.js', root), 'utf8').split('\n', 1)[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  });

  it('are given by every npm script that starts it', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
    const starting = Object.entries(scripts).filter(([, command]) => command.includes('bin/faultline.js'));
    expect(starting.map(([name]) => name).sort()).toEqual(['faultline', 'start']);
    for (const [, command] of starting) expect(command).toMatch(new RegExp(`^node ${NODE_FLAGS.join(' ')} bin/faultline\\.js`));
  });
});
