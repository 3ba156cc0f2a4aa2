import { Client } from '@elastic/elasticsearch';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateEvents } from './testing/dataset.ts';
import { elasticsearchTestTarget, mustRunElasticsearch } from './testing/elasticsearch-target.ts';
import { tokenize } from './text.ts';

const loghub = ['Linux', 'OpenSSH', 'Apache', 'Zookeeper'].flatMap((name) =>
  readFileSync(new URL(`../../shared/data/loghub/${name}_2k.log`, import.meta.url), 'utf8').split(/\r?\n/),
);
const samples = [
  ...loghub,
  ...generateEvents(2000).map((event) => String(event.message)),
  "error:timeout foo.bar don't 1,000 12:30 _pipeline_error a_b __ x.y.z 3.14 e.g. www.example.com user@host.com",
  'Zählerstand ✓ 😀 日本語 テスト ひらがな ﬁle İstanbul ² é ΣΊΣΥΦΟΣ',
  "GET /api/users?id=7 HTTP/1.1 l'entrepôt a'b 1'2 foo'' abc123def 1a 1.a a.1 a..b",
  `token ${'x'.repeat(600)} end`,
];

describe('tokenize', () => {
  it.each([
    ['Failed password for invalid user db-1:5432 from 10.0.1.2 port 22 ssh2', ['failed', 'password', 'for', 'invalid', 'user', 'db', '1', '5432', 'from', '10.0.1.2', 'port', '22', 'ssh2']],
    ["error:timeout foo.bar don't 1,000 12:30 _x_ __ 3.14 e.g.", ['error:timeout', 'foo.bar', "don't", '1,000', '12', '30', '_x_', '3.14', 'e.g']],
    ['Zählerstand 日本 テスト ひら İstanbul ²', ['zählerstand', '日', '本', 'テスト', 'ひ', 'ら', 'istanbul']],
    ['', []],
  ])('%s', (text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });

  it('splits tokens longer than 255 characters', () => {
    expect(tokenize('a'.repeat(600)).map((token) => token.length)).toEqual([255, 255, 90]);
  });

  it('gives the same tokens on its ASCII fast path as on the general path', () => {
    // A trailing non-ASCII word forces the general path for the same text.
    for (const line of loghub) expect(tokenize(`${line} é`)).toEqual([...tokenize(line), 'é']);
  });
});

const target = elasticsearchTestTarget();
describe.skipIf(!target.url && !mustRunElasticsearch())('tokenize agrees with Elasticsearch', () => {
  it("gives the tokens of Elasticsearch's standard analyzer on real logs", async () => {
    if (!target.url) throw new Error(target.reason);
    const client = new Client({ node: target.url });
    try {
      // Lines never share a token across the newline, so a chunk's tokens are its lines' tokens in order.
      for (let i = 0; i < samples.length; i += 200) {
        const text = samples.slice(i, i + 200).join('\n');
        const answer = await client.indices.analyze({ analyzer: 'standard', text });
        expect(tokenize(text), `lines ${i}..${i + 199}`).toEqual((answer.tokens ?? []).map((token) => token.token));
      }
    } finally {
      await client.close();
    }
  });
});
