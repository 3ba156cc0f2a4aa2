/**
 * Where the tests' Elasticsearch is: FAULTLINE_TEST_ELASTICSEARCH_URL (as printed by
 * `npm run es:start`). In CI its absence is a failure, never a silent skip.
 */
import { Client } from '@elastic/elasticsearch';

export interface ElasticsearchTestTarget {
  url: string | null;
  /** Why there is no URL, for the skip or failure message. */
  reason: string;
  /** Deletes the indices and index templates whose names match. */
  deleteIndices(pattern: string): Promise<void>;
}

export const ELASTICSEARCH_URL_VARIABLE = 'FAULTLINE_TEST_ELASTICSEARCH_URL';

export function elasticsearchTestTarget(): ElasticsearchTestTarget {
  const url = process.env[ELASTICSEARCH_URL_VARIABLE] || null;
  const reason = `${ELASTICSEARCH_URL_VARIABLE} is not set: start Elasticsearch with 'npm run es:start' and export the line it prints`;
  if (!url && process.env['CI'] !== 'true') {
    process.stderr.write(`\n!!! SKIPPING Elasticsearch tests: ${reason} !!!\n\n`);
  }
  return {
    url,
    reason,
    async deleteIndices(pattern: string) {
      if (!url) return;
      const client = new Client({ node: url });
      try {
        await client.indices.delete({ index: pattern, expand_wildcards: 'all', ignore_unavailable: true, allow_no_indices: true });
        await client.indices.deleteIndexTemplate({ name: pattern }, { ignore: [404] });
      } finally {
        await client.close();
      }
    },
  };
}

/** In CI a missing Elasticsearch fails the suite; locally the suite is skipped (loudly, above). */
export function mustRunElasticsearch(): boolean {
  return process.env['CI'] === 'true';
}
