/**
 * Parser of the condition language used by `if`:
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' expr ')' | 'exists' '(' field ')' | operand [op operand | ['not'] 'in' list | ('=~'|'!~') /regex/flags]
 *   list    := '[' literal (',' literal)* ']' | field
 *   operand := field | 'string' | "string" | number | true | false | null
 *
 * Hand-written so that errors carry the exact column; it builds nodes only (see ast.ts).
 */
import type { CompareOperator, Expression, Literal, Operand } from './ast.ts';

export class ExpressionError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'ExpressionError';
    this.position = position;
  }
}

type Token =
  | { type: 'word'; text: string; start: number }
  | { type: 'string'; value: string; start: number }
  | { type: 'number'; value: number; start: number }
  | { type: 'punct'; text: string; start: number }
  | { type: 'end'; start: number };

const WORD = /[A-Za-z_@][A-Za-z0-9_@.-]*/y;
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const PUNCT = /==|!=|<=|>=|=~|!~|[<>()[\],]/y;
const SPACE = /\s*/y;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'exists', 'true', 'false', 'null']);

export function parseExpression(text: string): Expression {
  const parser = new Parser(text);
  const expression = parser.expression();
  parser.expectEnd();
  return expression;
}

class Parser {
  private readonly text: string;
  private offset = 0;
  private current: Token;

  constructor(text: string) {
    this.text = text;
    this.current = this.lex();
  }

  expression(): Expression {
    let left = this.and();
    while (this.isWord('or')) {
      this.advance();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  expectEnd(): void {
    if (this.current.type !== 'end') throw this.unexpected('and, or or the end of the condition');
  }

  private and(): Expression {
    let left = this.unary();
    while (this.isWord('and')) {
      this.advance();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expression {
    if (this.isWord('not')) {
      this.advance();
      return { kind: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expression {
    if (this.isPunct('(')) {
      this.advance();
      const inner = this.expression();
      this.expectPunct(')');
      return inner;
    }
    if (this.isWord('exists')) {
      this.advance();
      this.expectPunct('(');
      const path = this.field();
      this.expectPunct(')');
      return { kind: 'exists', path };
    }
    const left = this.operand();
    const token = this.current;
    if (token.type === 'punct' && (token.text === '=~' || token.text === '!~')) {
      this.advance(false);
      const regex = this.regex();
      const match: Expression = { kind: 'match', subject: left, ...regex };
      return token.text === '!~' ? { kind: 'not', operand: match } : match;
    }
    if (token.type === 'punct' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.advance();
      return { kind: 'compare', operator: token.text as CompareOperator, left, right: this.operand() };
    }
    if (this.isWord('not')) {
      this.advance();
      if (!this.isWord('in')) throw this.unexpected("'in' after 'not'");
      this.advance();
      return { kind: 'not', operand: { kind: 'in', needle: left, haystack: this.list() } };
    }
    if (this.isWord('in')) {
      this.advance();
      return { kind: 'in', needle: left, haystack: this.list() };
    }
    return { kind: 'truthy', operand: left };
  }

  private list(): Operand | Literal[] {
    if (!this.isPunct('[')) return { kind: 'field', path: this.field() };
    this.advance();
    const items: Literal[] = [];
    if (!this.isPunct(']')) {
      for (;;) {
        const item = this.operand();
        if (item.kind !== 'literal') throw new ExpressionError('list items must be strings, numbers, true, false or null', this.current.start);
        items.push(item.value);
        if (!this.isPunct(',')) break;
        this.advance();
      }
    }
    this.expectPunct(']');
    return items;
  }

  private operand(): Operand {
    const token = this.current;
    switch (token.type) {
      case 'string':
      case 'number':
        this.advance();
        return { kind: 'literal', value: token.value };
      case 'word':
        if (token.text === 'true' || token.text === 'false') {
          this.advance();
          return { kind: 'literal', value: token.text === 'true' };
        }
        if (token.text === 'null') {
          this.advance();
          return { kind: 'literal', value: null };
        }
        return { kind: 'field', path: this.field() };
      case 'punct':
      case 'end':
        throw this.unexpected('a field name, a string, a number, true, false or null');
    }
  }

  private field(): string {
    const token = this.current;
    if (token.type !== 'word' || KEYWORDS.has(token.text) || token.text.endsWith('.') || token.text.includes('..')) {
      throw this.unexpected('a field name');
    }
    this.advance();
    return token.text;
  }

  /** A `/source/flags` literal, read straight from the text (the lexer does not know regexes). */
  private regex(): { source: string; flags: string; position: number } {
    SPACE.lastIndex = this.offset;
    SPACE.exec(this.text);
    const position = SPACE.lastIndex;
    if (this.text[position] !== '/') throw new ExpressionError('expected a regular expression such as /error|fail/i', position);
    let index = position + 1;
    let inClass = false;
    for (; index < this.text.length; index++) {
      const char = this.text[index];
      if (char === '\\') index++;
      else if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      else if (char === '/' && !inClass) break;
    }
    if (index >= this.text.length) throw new ExpressionError('unterminated regular expression (missing closing /)', position);
    const source = this.text.slice(position + 1, index);
    const flagMatch = /[a-z]*/y;
    flagMatch.lastIndex = index + 1;
    const flags = flagMatch.exec(this.text)?.[0] ?? '';
    if (!/^[imsu]*$/.test(flags)) throw new ExpressionError(`unsupported regular expression flags '${flags}'; accepted: i, m, s, u`, index + 1);
    this.offset = index + 1 + flags.length;
    this.current = this.lex();
    return { source, flags, position };
  }

  private isWord(text: string): boolean {
    return this.current.type === 'word' && this.current.text === text;
  }

  private isPunct(text: string): boolean {
    return this.current.type === 'punct' && this.current.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) throw this.unexpected(`'${text}'`);
    this.advance();
  }

  /** Moves to the next token; `lexNext` false leaves the text after an operator for a regex literal. */
  private advance(lexNext = true): void {
    if (lexNext) this.current = this.lex();
  }

  private unexpected(expected: string): ExpressionError {
    const token = this.current;
    const found = token.type === 'end' ? 'the end of the condition' : `'${this.text.slice(token.start, this.offset).trim()}'`;
    return new ExpressionError(`expected ${expected}, found ${found}`, token.start);
  }

  private lex(): Token {
    SPACE.lastIndex = this.offset;
    SPACE.exec(this.text);
    const start = SPACE.lastIndex;
    this.offset = start;
    if (start >= this.text.length) return { type: 'end', start };
    const char = this.text[start] as string;
    if (char === '"' || char === "'") return this.string(char, start);
    for (const [type, pattern] of [['number', NUMBER], ['word', WORD], ['punct', PUNCT]] as const) {
      pattern.lastIndex = start;
      const match = pattern.exec(this.text);
      if (match) {
        this.offset = pattern.lastIndex;
        if (type === 'number') return { type, value: Number(match[0]), start };
        return { type, text: match[0], start };
      }
    }
    throw new ExpressionError(`unexpected character '${char}'`, start);
  }

  private string(quote: string, start: number): Token {
    let value = '';
    for (let index = start + 1; index < this.text.length; index++) {
      const char = this.text[index] as string;
      if (char === quote) {
        this.offset = index + 1;
        return { type: 'string', value, start };
      }
      if (char === '\\') {
        const next = this.text[++index];
        if (next === undefined) break;
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      } else {
        value += char;
      }
    }
    throw new ExpressionError('unterminated string', start);
  }
}
