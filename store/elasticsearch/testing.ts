/**
 * What the Elasticsearch tests share: the server (FAULTLINE_TEST_ELASTICSEARCH_URL, as
 * `npm run es:start` prints it; a missing one fails CI and skips a local run loudly) and index
 * prefixes unique to each test, removed afterwards.
 */
import { Client } from '@elastic/elasticsearch';
import { describe, it } from 'vitest';

export const TEST_URL_VARIABLE = 'FAULTLINE_TEST_ELASTICSEARCH_URL';

/** The test server's URL, or undefined (after saying why) when there is none. */
export function testElasticsearchUrl(): string | undefined {
  const url = process.env[TEST_URL_VARIABLE] || undefined;
  if (!url && process.env['CI'] !== 'true') {
    console.warn(`!!! SKIPPING Elasticsearch tests: ${TEST_URL_VARIABLE} is not set. Start a server with 'npm run es:start' and export the line it prints.`);
  }
  return url;
}

/**
 * `describe` for tests that need the server: runs them when the URL is set, fails in CI when it
 * is not, and skips them otherwise.
 */
export function describeWithElasticsearch(name: string, body: (url: string) => void): void {
  const url = testElasticsearchUrl();
  if (url) {
    describe(name, () => body(url));
  } else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('has Elasticsearch (required in CI)', () => {
        throw new Error(`${TEST_URL_VARIABLE} is not set: CI must run the Elasticsearch tests`);
      });
    });
  } else {
    describe.skip(`${name} (needs ${TEST_URL_VARIABLE})`, () => body(''));
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
