import { describe, expect, it } from 'vitest';
import { FaultlineError } from '../../core/errors.ts';
import { q, type QueryNode } from '../../store/query.ts';
import { parseQuery } from './parse.ts';
import { parseTime } from './time.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 34, 56, 789);
const parse = (text: string) => parseQuery(text, { now: NOW, fieldType: (name) => (name === 'app.latency_ms' ? 'double' : undefined) });

function failure(text: string): FaultlineError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof FaultlineError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to fail`);
}

describe('parseQuery', () => {
  it.each<[string, QueryNode]>([
    ['', q.all()],
    ['   ', q.all()],
    ['*', q.all()],
    ['error', q.term(null, 'error')],
    ['connection refused', q.and(q.term(null, 'connection'), q.term(null, 'refused'))],
    ['"connection refused"', q.phrase(null, 'connection refused')],
    ['"say \\"hi\\""', q.phrase(null, 'say "hi"')],
    ['host.name:web-1', q.term('host.name', 'web-1')],
    ['host.name:"web 1"', q.phrase('host.name', 'web 1')],
    ['host.name:web-*', q.wildcard('host.name', 'web-*')],
    ['url.original:/api/users\\?id=7', q.term('url.original', '/api/users?id=7')],
    ['url.original:/api/*?id=7', q.wildcard('url.original', '/api/*\\?id=7')],
    ['message:pass*', q.wildcard('message', 'pass*')],
    ['pass*', q.wildcard(null, 'pass*')],
    ['a\\*b', q.term(null, 'a*b')],
    ['a\\*b*', q.wildcard(null, 'a\\*b*')],
    ['error.message:*', q.exists('error.message')],
    ['http.response.status_code:404', q.term('http.response.status_code', 404)],
    ['http.response.status_code:"404"', q.term('http.response.status_code', 404)],
    ['http.response.status_code >= 500', q.range('http.response.status_code', { gte: 500 })],
    ['http.response.status_code<300', q.range('http.response.status_code', { lt: 300 })],
    ['app.latency_ms > 12.5', q.range('app.latency_ms', { gt: 12.5 })],
    ['user.name <= m', q.range('user.name', { lte: 'm' })],
    ['@timestamp >= now-15m', q.range('@timestamp', { gte: NOW - 15 * 60_000 })],
    ['@timestamp < "2026-11-23T00:00:00Z"', q.range('@timestamp', { lt: Date.UTC(2026, 10, 23) })],
    ['a and b', q.and(q.term(null, 'a'), q.term(null, 'b'))],
    ['a AND b', q.and(q.term(null, 'a'), q.term(null, 'b'))],
    ['a or b', q.or(q.term(null, 'a'), q.term(null, 'b'))],
    ['a or b and c', q.or(q.term(null, 'a'), q.and(q.term(null, 'b'), q.term(null, 'c')))],
    ['(a or b) and c', q.and(q.or(q.term(null, 'a'), q.term(null, 'b')), q.term(null, 'c'))],
    ['not a', q.not(q.term(null, 'a'))],
    ['NOT not a', q.not(q.not(q.term(null, 'a')))],
    ['a not b', q.and(q.term(null, 'a'), q.not(q.term(null, 'b')))],
    ['host.name:db-1 failed', q.and(q.term('host.name', 'db-1'), q.term(null, 'failed'))],
    ['log.level:(error or critical)', q.or(q.term('log.level', 'error'), q.term('log.level', 'critical'))],
    ['tags:(deploy and not build-1)', q.and(q.term('tags', 'deploy'), q.not(q.term('tags', 'build-1')))],
    ['message:(connection refused)', q.and(q.term('message', 'connection'), q.term('message', 'refused'))],
    ['"or"', q.phrase(null, 'or')],
    ['\\or', q.term(null, 'or')],
    ['a or b or c', q.or(q.term(null, 'a'), q.term(null, 'b'), q.term(null, 'c'))],
    ['source.ip:10.0.0.0/8', q.range('source.ip', { gte: '10.0.0.0', lte: '10.255.255.255' })],
    ['source.ip:"10.1.2.3"', q.term('source.ip', '10.1.2.3')],
    ['source.ip >= 10.1.0.0', q.range('source.ip', { gte: '10.1.0.0' })],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['a and', 5, "the query ends where a search term was expected"],
    ['(a or b', 0, "this '(' is never closed"],
    ['a)', 1, "this ')' closes nothing"],
    ['"unclosed', 0, 'this quoted string is never closed; add a closing "'],
    ['host.name:', 10, "expected a value after 'host.name:' (a word, a \"quoted phrase\", * or a list in parentheses)"],
    [':value', 0, "a ':' needs a field name before it (field:value)"],
    ['>= 5', 0, 'a comparison needs a field name before it (field >= value)'],
    ['a \\', 2, 'a backslash must be followed by the character it escapes'],
    ['x:{y}', 2, "'{' is not supported (nested field queries are not part of this language); escape it as \\{ to search for it"],
    ['or', 0, `'or' needs a search term on each side of it; to search for the word itself, quote it: "or"`],
    ['not', 3, 'the query ends where a search term was expected'],
  ])('refuses %j at position %i', (text, position, message) => {
    const error = failure(text);
    expect(error.code).toBe('FL_ERR_QUERY_SYNTAX');
    expect(error.status).toBe(400);
    expect(error.message).toBe(`query syntax error at position ${position}: ${message}`);
    expect(error.details['position']).toBe(position);
    expect(String(error.details['caret']).split('\n')[1]).toBe(`${' '.repeat(position)}^`);
  });

  it.each([
    ['http.response.status_code:abc', 26, "'http.response.status_code' holds whole numbers; 'abc' is not one"],
    ['http.response.status_code:4*', 26, 'wildcards work on keyword and text fields; \'http.response.status_code\' is long'],
    ['message > 5', 0, "'message' is a text field; ranges work on numbers, dates and keywords"],
    ['@timestamp > yesterday', 13, ''],
    ['event.original:x', 0, "'event.original' is stored but not indexed, so it cannot be searched"],
    ['source.ip:web-1', 10, "'source.ip' holds IP addresses; 'web-1' is neither an address nor a CIDR block such as 10.0.0.0/8"],
    ['source.ip:10.0.0.0/40', 10, "'source.ip' holds IP addresses; '10.0.0.0/40' is neither an address nor a CIDR block such as 10.0.0.0/8"],
    ['a*b*c*d*e*f*g*h*i*j', 0, 'a value may hold at most 8 wildcards (*)'],
  ])('refuses the invalid %j at position %i', (text, position, message) => {
    const error = failure(text);
    expect(error.status).toBe(400);
    expect(error.details['position']).toBe(position);
    if (message) expect(error.message).toBe(`invalid query at position ${position}: ${message}`);
  });

  it('enforces the limits on length, clauses and depth', () => {
    expect(() => parseQuery('a '.repeat(6000))).toThrow(/longer than 10000 characters/);
    expect(() => parseQuery(Array.from({ length: 1100 }, (_, i) => `w${i}`).join(' or '))).toThrow(/more than 1024 clauses/);
    expect(() => parseQuery(`${'('.repeat(40)}a${')'.repeat(40)}`)).toThrow(/nests deeper than 32 levels/);
    expect(() => parseQuery(`${'not '.repeat(40)}a`)).toThrow(/nests deeper than 32 levels/);
  });
});

describe('parseTime', () => {
  it.each([
    ['now', NOW],
    ['now-15m', NOW - 15 * 60_000],
    ['now+1h', NOW + 3_600_000],
    ['now-7d/d', Date.UTC(2026, 10, 16)],
    ['now/d', Date.UTC(2026, 10, 23)],
    ['now-1M', Date.UTC(2026, 9, 23, 12, 34, 56, 789)],
    ['now/w', Date.UTC(2026, 10, 23)],
    ['now/y', Date.UTC(2026, 0, 1)],
    ['2026-11-23', Date.UTC(2026, 10, 23)],
    ['2026-11-23T10:00:00Z', Date.UTC(2026, 10, 23, 10)],
    ['2026-11-23T10:00:00', Date.UTC(2026, 10, 23, 10)],
    ['2026-11-23T10:00:00.5+02:00', Date.UTC(2026, 10, 23, 8, 0, 0, 500)],
    ['1700000000000', 1_700_000_000_000],
  ])('%s', (text, expected) => {
    expect(parseTime(text, NOW)).toBe(expected);
  });

  it('says what it accepts', () => {
    expect(() => parseTime('yesterday', NOW, { parameter: 'from' })).toThrow(
      "invalid time from: 'yesterday' is not an ISO 8601 time (2026-11-23T12:00:00Z), epoch milliseconds, or now with an offset (now-15m, now-7d/d)",
    );
  });
});
