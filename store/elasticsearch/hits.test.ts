import { describe, expect, it } from 'vitest';
import { splitHits } from './hits.ts';

const answer = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('splitHits', () => {
  it('parses each hit and the total around them', () => {
    const hits = [
      { _source: { '@timestamp': '2026-03-01T00:00:00.000Z', event: { id: 'a' }, message: 'brackets ] } [ { and "quotes" \\ and \u00e9\u65e5\ud83d\ude00' }, sort: [1, 'a'] },
      { _source: { '@timestamp': '2026-03-01T00:00:01.000Z', event: { id: 'b' }, tags: ['x', ['nested']], deep: { a: { b: [{ c: '}' }] } } }, sort: [2, 'b'] },
    ];
    expect(splitHits(answer({ hits: { total: { value: 2, relation: 'eq' }, hits } }))).toEqual({ total: { value: 2, relation: 'eq' }, hits });
  });

  it('reads the total after the hits too, and answers without hits', () => {
    const hits = [{ _source: { event: { id: 'a' } }, sort: [1, 'a'] }];
    expect(splitHits(answer({ hits: { hits, total: { value: 5, relation: 'gte' } } }))).toEqual({ total: { value: 5, relation: 'gte' }, hits });
    expect(splitHits(answer({ hits: { total: { value: 0, relation: 'eq' } } }))).toEqual({ total: { value: 0, relation: 'eq' }, hits: [] });
    expect(splitHits(answer({}))).toEqual({ total: undefined, hits: [] });
    expect(splitHits(Buffer.from(''))).toEqual({ total: undefined, hits: [] });
  });
});
