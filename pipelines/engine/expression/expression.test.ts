import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../core/event/types.ts';
import { compileCondition } from './compile.ts';
import { ExpressionError, parseExpression } from './parser.ts';

const event: JsonObject = {
  message: 'Failed password for root',
  log: { level: 'error' },
  http: { response: { status_code: 503 } },
  port: '8080',
  tags: ['ssh', 'auth'],
  enabled: true,
  empty: '',
  nothing: null,
};

const check = (text: string): boolean => compileCondition(text, 8192)(event);

describe('conditions', () => {
  it.each([
    ['log.level == "error"', true],
    ["log.level != 'error'", false],
    ['http.response.status_code >= 500', true],
    ['http.response.status_code < 500', false],
    ['port == 8080', true],
    ['port > 443', true],
    ['"b" > "a"', true],
    ['missing == "x"', false],
    ['missing != "x"', true],
    ['missing == null', true],
    ['nothing == null', true],
    ['tags == "auth"', true],
    ['log.level in ["error", "critical"]', true],
    ['log.level not in ["error", "critical"]', false],
    ['"ssh" in tags', true],
    ['"web" in tags', false],
    ['exists(log.level)', true],
    ['exists(nothing)', false],
    ['not exists(missing)', true],
    ['message =~ /failed password/i', true],
    ['message !~ /accepted/', true],
    ['port =~ /^80/', true],
    ['enabled', true],
    ['empty', false],
    ['missing', false],
    ['log.level == "error" and (port == 22 or tags == "ssh")', true],
    ['not log.level == "error" or enabled == true', true],
    ['http.response.status_code >= 500 and http.response.status_code < 600 and not message =~ /ok/', true],
    ['tags in ["auth", "web"]', true],
    ['tags not in ["web"]', true],
    ['tags =~ /^au/', true],
    ['tags', true],
    ['log.level.name == "error"', false],
    ['exists(log.level.name)', false],
    ['exists(http.response)', true],
    ['message.text != "x"', true],
    ['nothing in ["x"]', false],
    ['nothing =~ /null/', false],
    ['http.response.status_code =~ /^5/', true],
    ['enabled == "true"', false],
    ['port in [8080, "x"]', true],
    ['"8080" == port', true],
  ])('%s -> %s', (text, expected) => {
    expect(check(text)).toBe(expected);
  });

  it('binds and tighter than or', () => {
    expect(parseExpression('a or b and c')).toEqual({
      kind: 'or',
      left: { kind: 'truthy', operand: { kind: 'field', path: 'a' } },
      right: { kind: 'and', left: { kind: 'truthy', operand: { kind: 'field', path: 'b' } }, right: { kind: 'truthy', operand: { kind: 'field', path: 'c' } } },
    });
  });

  it.each([
    ['log.level ==', 'expected a field name, a string, a number, true, false or null, found the end of the condition', 12],
    ['a == "x', 'unterminated string', 5],
    ['(a == 1', "expected ')', found the end of the condition", 7],
    ['a == 1 b', "expected and, or or the end of the condition, found 'b'", 7],
    ['a =~ "x"', 'expected a regular expression such as /error|fail/i', 5],
    ['a =~ /x/g', "unsupported regular expression flags 'g'; accepted: i, m, s, u", 8],
    ['a in [b]', 'list items must be strings, numbers, true, false or null', 7],
    ['exists(and)', "expected a field name, found 'and'", 7],
    ['a ? b', "unexpected character '?'", 2],
  ])('refuses %s with the column', (text, message, position) => {
    try {
      parseExpression(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      expect((error as ExpressionError).message).toBe(message);
      expect((error as ExpressionError).position).toBe(position);
    }
  });

  it('treats values past the length limit as not matching', () => {
    expect(compileCondition('message =~ /password/', 10)(event)).toBe(false);
  });
});
