/**
 * The lexer of the query language: words (unquoted, with `\` escapes and `*` wildcards), quoted
 * strings, parentheses, `:` and range operators, each with its position in the query text.
 */
import { syntaxError } from './errors.ts';

export type Token =
  /** `literal`: the text with escapes resolved; `pattern`: the same as a store wildcard pattern (`*` wild, `\*` and `\?` literal). */
  | { type: 'word'; literal: string; pattern: string; wildcard: boolean; start: number; end: number }
  | { type: 'quoted'; text: string; start: number; end: number }
  | { type: 'lparen' | 'rparen' | 'colon'; start: number; end: number }
  | { type: 'range'; op: 'gt' | 'gte' | 'lt' | 'lte'; start: number; end: number }
  | { type: 'eof'; start: number; end: number };

/** Characters that end an unquoted word unless escaped. */
const SPECIAL = new Set(['(', ')', ':', '<', '>', '"', '{', '}', ' ', '\t', '\n', '\r']);

export function lex(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i] as string;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'lparen' : 'rparen', start: i, end: i + 1 });
      i++;
    } else if (char === ':') {
      tokens.push({ type: 'colon', start: i, end: i + 1 });
      i++;
    } else if (char === '<' || char === '>') {
      const inclusive = query[i + 1] === '=';
      const op = char === '<' ? (inclusive ? 'lte' : 'lt') : inclusive ? 'gte' : 'gt';
      tokens.push({ type: 'range', op, start: i, end: i + (inclusive ? 2 : 1) });
      i += inclusive ? 2 : 1;
    } else if (char === '"') {
      const start = i;
      let text = '';
      i++;
      while (i < query.length && query[i] !== '"') {
        if (query[i] === '\\' && i + 1 < query.length) i++;
        text += query[i];
        i++;
      }
      if (i >= query.length) throw syntaxError(query, start, 'this quoted string is never closed; add a closing "');
      i++;
      tokens.push({ type: 'quoted', text, start, end: i });
    } else if (char === '{' || char === '}') {
      throw syntaxError(query, i, `'${char}' is not supported (nested field queries are not part of this language); escape it as \\${char} to search for it`);
    } else {
      const start = i;
      let pattern = '';
      let literal = '';
      let wildcard = false;
      while (i < query.length) {
        const current = query[i] as string;
        if (current === '\\') {
          const escaped = query[i + 1];
          if (escaped === undefined) throw syntaxError(query, i, 'a backslash must be followed by the character it escapes');
          literal += escaped;
          pattern += escaped === '*' || escaped === '?' || escaped === '\\' ? `\\${escaped}` : escaped;
          i += 2;
          continue;
        }
        if (SPECIAL.has(current)) break;
        literal += current;
        if (current === '*') wildcard = true;
        pattern += current === '?' ? '\\?' : current;
        i++;
      }
      tokens.push({ type: 'word', literal, pattern, wildcard, start, end: i });
    }
  }
  tokens.push({ type: 'eof', start: query.length, end: query.length });
  return tokens;
}
