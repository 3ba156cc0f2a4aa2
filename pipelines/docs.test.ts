/**
 * docs/pipelines.md stays true: every YAML example is a fixture this test runs (or a pipeline it
 * loads), every processor has an example, every processor's section names all its options, and
 * the GeoIP data is credited.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/event/types.ts';
import { parseFixture, runFixtures } from './fixtures.ts';
import { loadConfiguredPipelines } from './index.ts';
import { processors } from './processors/registry.ts';

const file = join(import.meta.dirname, '..', 'docs', 'pipelines.md');
const text = readFileSync(file, 'utf8');
const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => ({
  line: text.slice(0, match.index).split('\n').length + 1,
  text: match[1] as string,
}));
const fixtures = blocks.filter((block) => /^cases:/m.test(block.text));
const pipelines = blocks.filter((block) => /^id:/m.test(block.text));

/** Processor names used in a list of processors, groups' included. */
function used(list: readonly JsonValue[]): string[] {
  return list.flatMap((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return [];
    return Object.entries(item).flatMap(([name, options]) => {
      const nested = options !== null && typeof options === 'object' && !Array.isArray(options) ? options['processors'] : undefined;
      return [name, ...(Array.isArray(nested) ? used(nested) : [])];
    });
  });
}

describe('docs/pipelines.md', () => {
  it('has examples to check', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(Object.keys(processors).length - 2);
    expect(pipelines.length).toBeGreaterThan(0);
  });

  it.each(fixtures.map((block) => [block.line, block] as const))('the example at line %i gives exactly the events it shows', (_, block) => {
    const fixture = parseFixture(`docs/pipelines.md:${block.line}`, block.text);
    const results = runFixtures([fixture], { load: (now, extra) => loadConfiguredPipelines(undefined, { now, extra, timingSampleRate: 1 }) });
    expect(results.filter((result) => !result.passed).map((result) => [result.name, ...result.problems].join('\n'))).toEqual([]);
  });

  it('loads every pipeline example beside the built-ins', () => {
    for (const block of pipelines) {
      expect(() => loadConfiguredPipelines(undefined, { extra: [{ file: `docs/pipelines.md:${block.line}`, text: block.text }] })).not.toThrow();
    }
  });

  it('shows every processor in an example, and names all its options in its section', () => {
    const shown = new Set(fixtures.flatMap((block) => used((parse(block.text) as { processors?: JsonValue[] }).processors ?? [])));
    expect(Object.keys(processors).filter((name) => !shown.has(name))).toEqual([]);
    const sections = text.split(/^### /m).slice(1);
    for (const [name, definition] of Object.entries(processors)) {
      const section = sections.find((candidate) => (candidate.split('\n')[0] as string).includes(`\`${name}\``));
      expect(section, name).toBeDefined();
      const missing = Object.keys(definition.schema.shape).filter((key) => !(section as string).includes(`\`${key}\``));
      expect(missing, name).toEqual([]);
    }
  });

  it('credits the GeoIP data', () => {
    expect(text).toContain('IP Geolocation by DB-IP');
    expect(text).toContain('CC BY 4.0');
  });
});
