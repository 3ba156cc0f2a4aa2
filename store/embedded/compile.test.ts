/** The query compiler, one node kind at a time: exact query -> exact matching events on a small dataset. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldTypes } from './fields.ts';
import { compileQuery } from './compile.ts';
import { openEmbeddedStore } from './index.ts';
import { ALL_TIME, at, testEvents } from './test-events.ts';
import { q, type QueryNode } from '../query.ts';
import type { Store } from '../contract.ts';

let store: Store;

beforeAll(async () => {
  store = await openEmbeddedStore({ file: ':memory:' });
  const outcomes = await store.write(testEvents);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(testEvents.map(() => 'stored'));
});

afterAll(async () => {
  await store.close();
});

/** Ids of the matching events, oldest first. */
async function find(query: QueryNode): Promise<string[]> {
  const result = await store.search({ query, range: ALL_TIME, size: 100, sort: 'asc' });
  return result.events.map((event) => event.event.id);
}

const invalid = (message: string | RegExp) => expect.objectContaining({ code: 'FL_ERR_QUERY_INVALID', message: expect.stringMatching(message) });

describe('all', () => {
  it('matches every event in the range', async () => {
    expect(await find(q.all())).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']);
  });
});

describe('term', () => {
  it.each([
    ['a bare word searches message, any case', q.term(null, 'FAILED'), ['e1']],
    ['every token of the value must occur, in any order', q.term(null, 'connection refused'), ['e3', 'e6']],
    ['punctuation splits tokens', q.term(null, 'db-1:5432'), ['e3']],
    ['accents and umlauts are kept', q.term(null, 'Zählerstand après'), ['e5']],
    ['a value without tokens matches nothing', q.term(null, '!!!'), []],
    ['a number on a text field is its text', q.term(null, 200), ['e4']],
    ['other text fields have their own index', q.term('error.message', 'refused'), ['e3']],
    ['text arrays: tokens from any element (as Elasticsearch)', q.term('error.stack_trace', 'beta gamma'), ['e7']],
    ['keywords compare the whole value, case-sensitively', q.term('host.name', 'web-1'), ['e1', 'e4']],
    ['keyword arrays match on any element', q.term('tags', 'ssh'), ['e1']],
    ['a keyword term never matches part of a value', q.term('host.name', 'web'), []],
    ['keyword values over ignore_above never match', q.term('url.original', `/long/${'x'.repeat(1100)}`), []],
    ['long fields compare numbers', q.term('http.response.status_code', 502), ['e3']],
    ['numeric strings are read as numbers', q.term('http.response.status_code', '200'), ['e4']],
    ['a decimal never equals a long', q.term('http.response.status_code', 200.5), []],
    ['a value a long cannot hold matches nothing', q.term('http.response.status_code', 'abc'), []],
    ['dynamic fields take the type first written', q.term('custom.count', 5), ['e5']],
    ['dynamic booleans', q.term('custom.flag', 'true'), ['e5']],
    ['dynamic doubles', q.term('app.latency_ms', 12.5), ['e4']],
    ['labels are keywords', q.term('labels.team', 'payments'), ['e5']],
    ['ip equality by address, however written', q.term('source.ip', '0:0:0:0:0:0:0:1'), ['e4']],
    ['ipv4 equality', q.term('source.ip', '10.0.0.1'), ['e1']],
    ['a value that is not an address matches nothing', q.term('source.ip', '10.0.0.0/8'), []],
    ['dates compare instants (ISO with offset)', q.term('event.ingested', '2026-03-01T00:00:07.500Z'), ['e7']],
    ['dates compare instants (epoch ms)', q.term('@timestamp', Date.parse(at(7))), ['e7', 'e8']],
    ['event.id', q.term('event.id', 'e2'), ['e2']],
    ['flattened fields match any leaf', q.term('log.syslog.structured_data', 'app'), ['e6']],
    ['flattened keys are keyword fields', q.term('log.syslog.structured_data.meta@1.seq', '1'), ['e6']],
    ['an object path holds no value', q.term('host', 'web-1'), []],
  ] as const)('%s', async (_, query, expected) => {
    expect(await find(query)).toEqual(expected);
  });
});

describe('phrase', () => {
  it.each([
    ['tokens adjacent and in order', q.phrase(null, 'connection refused'), ['e3']],
    ['out of order does not match', q.phrase(null, 'to refused'), []],
    ['the same tokens in another order are another phrase', q.phrase(null, 'refused connection'), ['e6']],
    ['punctuation between tokens is ignored', q.phrase(null, 'db 1 5432'), ['e3']],
    ['a phrase never spans two array elements', q.phrase('error.stack_trace', 'beta gamma'), []],
    ['inside one element it matches', q.phrase('error.stack_trace', 'gamma delta'), ['e7']],
    ['without tokens it matches nothing', q.phrase(null, '...'), []],
    ['on a keyword it is equality', q.phrase('user.name', 'root'), ['e1']],
  ] as const)('%s', async (_, query, expected) => {
    expect(await find(query)).toEqual(expected);
  });
});

describe('wildcard', () => {
  it.each([
    ['text prefix (through the index)', q.wildcard(null, 'pass*'), ['e1']],
    ['text: the pattern is lowercased', q.wildcard(null, 'TIME*'), ['e5']],
    ['text: a token equal to the pattern', q.wildcard(null, 'refused'), ['e3', 'e6']],
    ['text: infix and single character', q.wildcard(null, '*ubl?ckey'), ['e4', 'e2'].slice(1)],
    ['text: a pattern with a separator never matches a token', q.wildcard(null, 'db-*'), []],
    ['text: * alone matches any token', q.wildcard('error.stack_trace', '*'), ['e7']],
    ['keyword prefix, case-sensitive', q.wildcard('host.name', 'web-*'), ['e1', 'e2', 'e4']],
    ['keyword single character', q.wildcard('host.name', 'db-?'), ['e3', 'e8']],
    ['escaped wildcard characters are literal', q.wildcard('url.original', '/api/orders\\?id=*'), ['e4']],
    ['GLOB specials are literal', q.wildcard('message', '*'), ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e8']],
    ['keyword suffix', q.wildcard('event.dataset', '*.app'), ['e3', 'e5', 'e6', 'e7']],
    ['keyword values over ignore_above never match', q.wildcard('url.original', '/long/*'), []],
    ['on a long, * alone means exists', q.wildcard('http.response.status_code', '*'), ['e3', 'e4']],
    ['on a long, a plain value means equality', q.wildcard('http.response.status_code', '502'), ['e3']],
  ] as const)('%s', async (_, query, expected) => {
    expect(await find(query)).toEqual(expected);
  });

  it('keeps [ literal on keywords', async () => {
    const other = await openEmbeddedStore({ file: ':memory:' });
    await other.write([{ '@timestamp': at(8), event: { id: 'bracket' }, host: { name: 'a[1]' } }]);
    const found = async (pattern: string) =>
      (await other.search({ query: q.wildcard('host.name', pattern), range: ALL_TIME, size: 10 })).events.map((event) => event.event.id);
    expect(await found('a[1]*')).toEqual(['bracket']);
    expect(await found('a?1]')).toEqual(['bracket']);
    expect(await found('a[0-9]]')).toEqual([]);
    await other.close();
  });

  it('refuses real patterns on fields without wildcard support', async () => {
    await expect(find(q.wildcard('http.response.status_code', '5*'))).rejects.toEqual(invalid(/wildcard queries do not work on long field 'http.response.status_code'/));
  });
});

describe('range', () => {
  it.each([
    ['longs numerically', q.range('http.response.status_code', { gte: 500 }), ['e3']],
    ['open bounds', q.range('http.response.status_code', { gt: 200, lt: 600 }), ['e3']],
    ['numeric strings as bounds', q.range('http.response.status_code', { lte: '200' }), ['e4']],
    ['doubles', q.range('app.latency_ms', { gt: 12, lt: 1500 }), ['e4']],
    ['dates by instant, ISO bounds', q.range('@timestamp', { gte: at(3), lt: at(5) }), ['e3', 'e4']],
    ['dates by instant, epoch ms bounds', q.range('@timestamp', { gt: Date.parse(at(6)) }), ['e7', 'e8']],
    ['other date fields read stored ISO values', q.range('event.ingested', { gte: '2026-03-01T00:00:07Z' }), ['e7']],
    ['keywords by UTF-8 bytes', q.range('user.name', { gte: 'b', lt: 's' }), ['e1', 'e8']],
    ['keyword ranges skip values over ignore_above', q.range('url.original', { gte: '/' }), ['e4']],
    ['ip by address order', q.range('source.ip', { gte: '10.0.0.2', lte: '10.0.0.255' }), ['e2']],
    ['a bound the type cannot hold matches nothing', q.range('http.response.status_code', { gte: 'high' }), []],
    ['no bounds: any value of the type', q.range('app.latency_ms', {}), ['e4', 'e5']],
  ] as const)('%s', async (_, query, expected) => {
    expect(await find(query)).toEqual(expected);
  });

  it('refuses ranges on text fields', async () => {
    await expect(find(q.range('message', { gte: 'a' }))).rejects.toEqual(invalid(/range queries do not work on text field 'message'/));
  });
});

describe('exists', () => {
  it.each([
    ['a value', q.exists('error.message'), ['e3']],
    ['an empty array does not exist', q.exists('tags'), ['e1', 'e2']],
    ['an array of nulls does not exist', q.exists('custom.nothing'), []],
    ['null does not exist', q.exists('host.name'), ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e8']],
    ['keyword values over ignore_above exist', q.exists('url.original'), ['e4', 'e6']],
    ['flattened data', q.exists('log.syslog.structured_data'), ['e6']],
    ['@timestamp always', q.exists('@timestamp'), ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']],
    ['a field nobody wrote', q.exists('nothing.here'), []],
  ] as const)('%s', async (_, query, expected) => {
    expect(await find(query)).toEqual(expected);
  });
});

describe('and, or, not', () => {
  it.each([
    ['and', q.and(q.term('host.name', 'web-1'), q.term(null, 'failed')), ['e1']],
    ['or', q.or(q.term('log.level', 'error'), q.term('log.level', 'critical')), ['e3', 'e6']],
    ['not includes events without the field', q.not(q.exists('service.name')), ['e1', 'e2', 'e4', 'e5', 'e6', 'e7', 'e8']],
    ['not of a text match', q.not(q.term(null, 'refused')), ['e1', 'e2', 'e4', 'e5', 'e7', 'e8']],
    ['empty and matches all', q.and(), ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']],
    ['empty or matches nothing', q.or(), []],
    [
      'nested',
      q.and(q.or(q.term('host.name', 'web-1'), q.wildcard('host.name', 'db*')), q.not(q.term('log.level', 'info'))),
      ['e1', 'e3', 'e8'],
    ],
  ] as const)('%s', async (_, query, expected) => {
    expect(await find(query)).toEqual(expected);
  });
});

describe('compiled SQL', () => {
  const fields = new FieldTypes();

  it('carries user values only as parameters', () => {
    const hostile = `x' OR 1=1; DROP TABLE events; --"`;
    for (const node of [q.term('host.name', hostile), q.term(null, hostile), q.phrase(null, hostile), q.wildcard('host.name', hostile), q.range('user.name', { gte: hostile })]) {
      const compiled = compileQuery(node, fields);
      expect(compiled.text).not.toContain('DROP');
      expect(compiled.text).not.toContain('1=1');
    }
    const compiled = compileQuery(q.term('user.name', 'bob'), fields);
    expect(compiled.text).toMatch(/^EXISTS \(SELECT 1 FROM json_each\(e\.doc, \?\) AS j WHERE typeof\(j\.key\) <> 'text' AND .* = \?\)$/);
    expect(compiled.params).toEqual(['$."user"."name"', 'bob']);
    const fromColumn = compileQuery(q.term('host.name', 'web-1'), fields);
    // The bare column first (most rows stop there), then the typed reader where it held.
    expect(fromColumn.text).toBe("(e.v_host_name = ? AND (CASE typeof(e.v_host_name) WHEN 'text' THEN e.v_host_name END) IS NOT NULL)");
    expect(fromColumn.params).toEqual(['web-1']);
  });

  it('quotes every part of a field path', () => {
    expect(compileQuery(q.exists('log.syslog.structured_data.meta@1'), fields).params).toEqual(['$."log"."syslog"."structured_data"."meta@1"']);
  });

  it.each(['host."name', 'host\\name', 'host\nname', 'a..b', '', '.a'])('refuses the field name %j', (name) => {
    expect(() => compileQuery(q.exists(name), fields)).toThrow(invalid(/is not a valid field name/));
  });

  it('refuses fields stored without an index', () => {
    expect(() => compileQuery(q.term('event.original', 'x'), fields)).toThrow(invalid(/field 'event.original' is stored but not indexed/));
  });

  it('refuses unknown node kinds', () => {
    expect(() => compileQuery({ kind: 'regexp' } as unknown as QueryNode, fields)).toThrow(invalid(/unknown query node kind "regexp"/));
  });
});
