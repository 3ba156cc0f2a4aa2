/**
 * What the Elasticsearch backend's own tests share: the server (store/testing/elasticsearch-target.ts
 * finds it; a missing one fails CI and skips a local run loudly) and index prefixes unique to each
 * test, removed afterwards.
 */
import { Client } from '@elastic/elasticsearch';
import { describe, it } from 'vitest';
import { elasticsearchTestTarget, mustRunElasticsearch } from '../testing/elasticsearch-target.ts';

/**
 * `describe` for tests that need the server: runs them when the URL is set, fails in CI when it
 * is not, and skips them otherwise (the body is not even collected: it would need the server).
 */
export function describeWithElasticsearch(name: string, body: (url: string) => void): void {
  const target = elasticsearchTestTarget();
  if (target.url) {
    const url = target.url;
    describe(name, () => body(url));
  } else if (mustRunElasticsearch()) {
    describe(name, () => {
      it('has Elasticsearch (required in CI)', () => {
        throw new Error(target.reason);
      });
    });
  } else {
    describe.skip(`${name} (${target.reason})`, () => {
      it('needs Elasticsearch', () => undefined);
    });
  }
}

let counter = 0;

/** An index prefix no other test run uses. */
export function uniquePrefix(label = 'test'): string {
  counter++;
  return `fltest-es-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Deletes what a store under `prefix` created: its indices and its index template. */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = new Client({ node: url });
  try {
    await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all', ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${prefix}-events` }, { ignore: [404] });
  } finally {
    await client.close();
  }
}
