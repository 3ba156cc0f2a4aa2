import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const dir = mkdtempSync(join(tmpdir(), 'faultline-docs-'));

describe('docs/configuration.md', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((text, i) => [i + 1, text] as const))('example %i loads', (i, text) => {
    const path = join(dir, `example-${i}.yaml`);
    writeFileSync(path, text);
    expect(() => loadConfig({ file: path, env: {} })).not.toThrow();
  });

  it('loads examples/faultline.yaml', () => {
    const path = new URL('../../examples/faultline.yaml', import.meta.url).pathname;
    expect(loadConfig({ file: path, env: {} }).config.store.type).toBe('elasticsearch');
  });

  it('documents every environment variable the loader reads', async () => {
    const { environmentOverrides } = await import('./load.ts');
    for (const variable of Object.keys(environmentOverrides)) {
      const documented = doc.includes(variable) || doc.includes(`\`_${variable.replace('FAULTLINE_ELASTICSEARCH_', '')}\``);
      expect(documented, variable).toBe(true);
    }
  });
});
