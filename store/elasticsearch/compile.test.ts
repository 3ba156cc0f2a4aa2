import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../core/event/fields.ts';
import { q, type QueryNode } from '../query.ts';
import { compileQuery, filtered, queryFields, wildcardText, type Dsl } from './compile.ts';

/** Catalogue types plus a few dynamic fields, as the mapping would report them. */
const dynamicTypes: Record<string, FieldType> = { 'app.latency_ms': 'double', 'app.region': 'keyword', 'app.count': 'long', 'app.enabled': 'boolean' };
const typeOf = (field: string): FieldType => {
  const known: Record<string, FieldType> = {
    message: 'text',
    'error.message': 'text',
    'host.name': 'keyword',
    'user.name': 'keyword',
    'http.response.status_code': 'long',
    'source.ip': 'ip',
    '@timestamp': 'date',
    'log.syslog.structured_data': 'flattened',
    'source.geo.location': 'geo_point',
    'url.original': 'keyword',
    'event.original': 'keyword',
  };
  return known[field] ?? dynamicTypes[field] ?? 'keyword';
};
const compile = (node: QueryNode): Dsl => compileQuery(node, typeOf);

describe('compile: all', () => {
  it('matches everything', () => {
    expect(compile(q.all())).toEqual({ match_all: {} });
  });
});

describe('compile: term', () => {
  it('on a text field requires every token of the value (analyzed by the standard analyzer)', () => {
    expect(compile(q.term(null, 'DB-1:5432'))).toEqual({ match: { message: { query: 'DB-1:5432', operator: 'and' } } });
    expect(compile(q.term('error.message', 'Heap'))).toEqual({ match: { 'error.message': { query: 'Heap', operator: 'and' } } });
  });

  it('on a text field with no tokens matches nothing', () => {
    expect(compile(q.term(null, '!!!'))).toEqual({ match_none: {} });
  });

  it('on a keyword field is case-sensitive equality, numbers as text', () => {
    expect(compile(q.term('host.name', 'WEB-1'))).toEqual({ term: { 'host.name': 'WEB-1' } });
    expect(compile(q.term('app.region', 42))).toEqual({ term: { 'app.region': '42' } });
  });

  it('on a keyword field never matches a value longer than ignore_above', () => {
    expect(compile(q.term('url.original', 'x'.repeat(1025)))).toEqual({ match_none: {} });
    expect(compile(q.term('url.original', 'x'.repeat(1024)))).toEqual({ term: { 'url.original': 'x'.repeat(1024) } });
  });

  it('on a number field parses the value, and matches nothing when it is not a number', () => {
    expect(compile(q.term('http.response.status_code', '500'))).toEqual({ term: { 'http.response.status_code': 500 } });
    expect(compile(q.term('http.response.status_code', 404))).toEqual({ term: { 'http.response.status_code': 404 } });
    expect(compile(q.term('http.response.status_code', 'abc'))).toEqual({ match_none: {} });
    expect(compile(q.term('http.response.status_code', 4.5))).toEqual({ match_none: {} });
    expect(compile(q.term('app.latency_ms', '12.5'))).toEqual({ term: { 'app.latency_ms': 12.5 } });
  });

  it('on a date field is the instant, ISO or epoch ms', () => {
    const ms = Date.UTC(2026, 2, 1, 10);
    const instant = { range: { '@timestamp': { gte: ms, lte: ms, format: 'strict_date_optional_time||epoch_millis' } } };
    expect(compile(q.term('@timestamp', '2026-03-01T10:00:00.000Z'))).toEqual(instant);
    expect(compile(q.term('@timestamp', ms))).toEqual(instant);
    expect(compile(q.term('@timestamp', 'yesterday'))).toEqual({ match_none: {} });
  });

  it('on an ip field needs an address', () => {
    expect(compile(q.term('source.ip', '10.0.0.1'))).toEqual({ term: { 'source.ip': '10.0.0.1' } });
    expect(compile(q.term('source.ip', '10.0.0.0/8'))).toEqual({ match_none: {} });
  });

  it('on a boolean field takes true and false, as booleans or text', () => {
    expect(compile(q.term('app.enabled', 'true'))).toEqual({ term: { 'app.enabled': true } });
    expect(compile(q.term('app.enabled', false))).toEqual({ term: { 'app.enabled': false } });
    expect(compile(q.term('app.enabled', 'yes'))).toEqual({ match_none: {} });
  });

  it('on a flattened field matches any of its values', () => {
    expect(compile(q.term('log.syslog.structured_data', 'app'))).toEqual({ term: { 'log.syslog.structured_data': 'app' } });
  });

  it('refuses geo_point fields and fields that are stored but not indexed', () => {
    expect(() => compile(q.term('source.geo.location', 'x'))).toThrow(
      "term queries do not work on geo_point field 'source.geo.location'; they work on fields other than geo_point (which takes exists queries only)",
    );
    expect(() => compile(q.term('event.original', 'x'))).toThrow("field 'event.original' is stored but not indexed, so it cannot be queried or aggregated");
  });
});

describe('compile: phrase', () => {
  it('on a text field needs the tokens adjacent and in order', () => {
    expect(compile(q.phrase(null, 'connection Refused'))).toEqual({ match_phrase: { message: { query: 'connection Refused' } } });
  });

  it('on a text field with no tokens matches nothing', () => {
    expect(compile(q.phrase(null, ' -- '))).toEqual({ match_none: {} });
    expect(compile(q.phrase(null, '__'))).toEqual({ match_none: {} });
  });

  it('on other fields is equality', () => {
    expect(compile(q.phrase('user.name', 'root'))).toEqual({ term: { 'user.name': 'root' } });
    expect(compile(q.phrase('http.response.status_code', '404'))).toEqual({ term: { 'http.response.status_code': 404 } });
  });
});

describe('compile: wildcard', () => {
  it('on a text field matches one token against the lowercased pattern', () => {
    expect(compile(q.wildcard(null, 'TIME*'))).toEqual({ wildcard: { message: { value: 'time*' } } });
    expect(compile(q.wildcard('error.message', '*Wor?'))).toEqual({ wildcard: { 'error.message': { value: '*wor?' } } });
  });

  it('on a keyword field matches the whole value, case-sensitively, keeping escapes', () => {
    expect(compile(q.wildcard('host.name', 'Web-*'))).toEqual({ wildcard: { 'host.name': { value: 'Web-*' } } });
    expect(compile(q.wildcard('url.original', '/api/users\\?id=7'))).toEqual({ wildcard: { 'url.original': { value: '/api/users\\?id=7' } } });
  });

  it('on other fields: a lone * is exists, a pattern without wildcards is equality, others are refused', () => {
    expect(compile(q.wildcard('http.response.status_code', '*'))).toEqual({ exists: { field: 'http.response.status_code' } });
    expect(compile(q.wildcard('http.response.status_code', '404'))).toEqual({ term: { 'http.response.status_code': 404 } });
    expect(() => compile(q.wildcard('http.response.status_code', '5*'))).toThrow(
      "wildcard queries do not work on long field 'http.response.status_code'; they work on keyword and text fields",
    );
  });

  it('writes patterns in Lucene syntax, escaping literal *, ? and \\', () => {
    expect(wildcardText('a\\*b*c?d\\\\e')).toBe('a\\*b*c?d\\\\e');
    expect(wildcardText('trailing\\')).toBe('trailing\\\\');
  });
});

describe('compile: range', () => {
  it('on a number field compares numerically', () => {
    expect(compile(q.range('http.response.status_code', { gt: 200, lt: '404' }))).toEqual({ range: { 'http.response.status_code': { gt: 200, lt: 404 } } });
  });

  it('on a date field compares instants given as ISO or epoch ms', () => {
    expect(compile(q.range('@timestamp', { gte: '2026-03-01T05:00:00.000Z', lt: Date.UTC(2026, 2, 1, 7) }))).toEqual({
      range: { '@timestamp': { gte: Date.UTC(2026, 2, 1, 5), lt: Date.UTC(2026, 2, 1, 7), format: 'strict_date_optional_time||epoch_millis' } },
    });
  });

  it('on a keyword field compares text', () => {
    expect(compile(q.range('user.name', { gte: 'b', lt: 'd' }))).toEqual({ range: { 'user.name': { gte: 'b', lt: 'd' } } });
  });

  it('with a bound that cannot be compared matches nothing', () => {
    expect(compile(q.range('http.response.status_code', { gte: 'many' }))).toEqual({ match_none: {} });
    expect(compile(q.range('@timestamp', { gte: 'soon' }))).toEqual({ match_none: {} });
  });

  it('refuses text fields', () => {
    expect(() => compile(q.range('message', { gte: 'a' }))).toThrow(
      "range queries do not work on text field 'message'; they work on numeric, date, keyword, boolean and ip fields",
    );
  });
});

describe('compile: exists', () => {
  it('on a keyword field also finds values over ignore_above, through _ignored', () => {
    expect(compile(q.exists('url.original'))).toEqual({
      bool: { should: [{ exists: { field: 'url.original' } }, { term: { _ignored: 'url.original' } }], minimum_should_match: 1 },
    });
  });

  it('on other fields is exists', () => {
    expect(compile(q.exists('error.message'))).toEqual({ exists: { field: 'error.message' } });
    expect(compile(q.exists('log.syslog.structured_data'))).toEqual({ exists: { field: 'log.syslog.structured_data' } });
  });
});

describe('compile: and, or, not', () => {
  it('and is a filter of its clauses; empty, it matches everything', () => {
    expect(compile(q.and(q.term('host.name', 'db-1'), q.term(null, 'failed')))).toEqual({
      bool: { filter: [{ term: { 'host.name': 'db-1' } }, { match: { message: { query: 'failed', operator: 'and' } } }] },
    });
    expect(compile(q.and())).toEqual({ match_all: {} });
  });

  it('or needs one clause; empty, it matches nothing', () => {
    expect(compile(q.or(q.term('log.level', 'error'), q.term('log.level', 'critical')))).toEqual({
      bool: { should: [{ term: { 'log.level': 'error' } }, { term: { 'log.level': 'critical' } }], minimum_should_match: 1 },
    });
    expect(compile(q.or())).toEqual({ match_none: {} });
  });

  it('not is must_not', () => {
    expect(compile(q.not(q.exists('error.message')))).toEqual({ bool: { must_not: [{ exists: { field: 'error.message' } }] } });
  });
});

describe('queryFields', () => {
  it('lists every field a query names, the default text field included', () => {
    expect(queryFields(q.and(q.term(null, 'x'), q.not(q.range('app.count', { gt: 1 })), q.or(q.exists('tags'), q.all())))).toEqual(['message', 'app.count', 'tags']);
  });
});

describe('filtered', () => {
  it('restricts a query to [from, to) in filter context', () => {
    expect(filtered({ term: { 'host.name': 'a' } }, { from: 1000, to: 2000 })).toEqual({
      bool: { filter: [{ range: { '@timestamp': { gte: 1000, lt: 2000, format: 'epoch_millis' } } }, { term: { 'host.name': 'a' } }] },
    });
    expect(filtered({ match_all: {} }, { from: 1000, to: 2000 })).toEqual({
      bool: { filter: [{ range: { '@timestamp': { gte: 1000, lt: 2000, format: 'epoch_millis' } } }] },
    });
  });
});
