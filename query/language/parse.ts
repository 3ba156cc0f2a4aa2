/**
 * The query language (docs/query-language.md): KQL as people type it into Kibana, parsed by hand
 * into the store's query AST (store/query.ts). Field types decide what a value means and which
 * operations a field allows; every error is a FaultlineError with the position and a caret line.
 *
 *   log.level:error and not host.name:web-*   ->  and(term(log.level, error), not(wildcard(host.name, web-*)))
 *   "connection refused" or timeout           ->  or(phrase(null, connection refused), term(null, timeout))
 *   http.response.status_code >= 500          ->  range(http.response.status_code, {gte: 500})
 */
import { knownField, type FieldType } from '../../core/event/fields.ts';
import { cidrBounds, ipKey } from '../../store/ip.ts';
import { q, type QueryNode, type RangeValue } from '../../store/query.ts';
import { queryError, syntaxError } from './errors.ts';
import { parseTime } from './time.ts';
import { lex, type Token } from './tokens.ts';

export interface QueryLimits {
  /** Characters of query text. */
  maxLength: number;
  /** Clauses (terms, phrases, ranges...) in one query. */
  maxClauses: number;
  /** Nesting of parentheses and `not`. */
  maxDepth: number;
  /** `*` wildcards in one value. */
  maxWildcards: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxLength: 10_000, maxClauses: 1024, maxDepth: 32, maxWildcards: 8 };

export interface ParseOptions {
  /** The type of a field outside the catalogue (from the store's field list), if known. */
  fieldType?: (name: string) => FieldType | undefined;
  limits?: Partial<QueryLimits>;
  /** "now" for relative times in range values. */
  now?: number;
}

const KEYWORDS = new Set(['and', 'or', 'not']);
/** Dotted names without empty parts: `host.name`, `@timestamp`, `labels.team-a`. */
const FIELD_NAME = /^[@\p{L}_][\p{L}\p{N}_@-]*(?:\.[\p{L}\p{N}_@-]+)*$/u;

/** Parses query text into the store's AST. An empty query matches everything. */
export function parseQuery(query: string, options: ParseOptions = {}): QueryNode {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (query.length > limits.maxLength) {
    throw queryError(query, limits.maxLength, `the query is longer than ${limits.maxLength} characters`);
  }
  return new Parser(query, lex(query), limits, options).parse();
}

class Parser {
  private index = 0;
  private depth = 0;
  private clauses = 0;
  private readonly query: string;
  private readonly tokens: Token[];
  private readonly limits: QueryLimits;
  private readonly options: ParseOptions;

  constructor(query: string, tokens: Token[], limits: QueryLimits, options: ParseOptions) {
    this.query = query;
    this.tokens = tokens;
    this.limits = limits;
    this.options = options;
  }

  parse(): QueryNode {
    if (this.peek().type === 'eof') return q.all();
    const node = this.or();
    const next = this.peek();
    if (next.type !== 'eof') {
      throw syntaxError(this.query, next.start, next.type === 'rparen' ? "this ')' closes nothing" : `unexpected ${this.describe(next)}`);
    }
    return node;
  }

  private or(): QueryNode {
    const clauses = [this.and()];
    while (this.isKeyword('or')) {
      this.index++;
      clauses.push(this.and());
    }
    return combine('or', clauses);
  }

  private and(): QueryNode {
    const clauses = [this.not()];
    for (;;) {
      if (this.isKeyword('and')) {
        this.index++;
        clauses.push(this.not());
      } else if (this.startsClause()) {
        clauses.push(this.not());
      } else {
        return combine('and', clauses);
      }
    }
  }

  private not(): QueryNode {
    if (!this.isKeyword('not')) return this.primary();
    const token = this.next();
    return this.nested(token, () => q.not(this.not()));
  }

  private primary(): QueryNode {
    const token = this.peek();
    if (token.type === 'lparen') {
      this.index++;
      const node = this.nested(token, () => this.or());
      this.expectClosing(token);
      return node;
    }
    if (token.type === 'word' && !this.isKeyword()) {
      const after = this.tokens[this.index + 1];
      if (after?.type === 'colon') return this.fieldValue();
      if (after?.type === 'range') return this.fieldRange();
    }
    if (token.type === 'word' || token.type === 'quoted') {
      if (token.type === 'word' && this.isKeyword()) {
        throw syntaxError(this.query, token.start, `'${token.literal}' needs a search term ${token.literal.toLowerCase() === 'not' ? 'after' : 'on each side of'} it; to search for the word itself, quote it: "${token.literal}"`);
      }
      this.index++;
      return this.value(null, token);
    }
    if (token.type === 'colon') throw syntaxError(this.query, token.start, "a ':' needs a field name before it (field:value)");
    if (token.type === 'range') throw syntaxError(this.query, token.start, 'a comparison needs a field name before it (field >= value)');
    if (token.type === 'rparen') throw syntaxError(this.query, token.start, "expected a search term before ')'");
    throw syntaxError(this.query, token.start, 'the query ends where a search term was expected');
  }

  /** `field:value`, `field:(a or b)`, `field:*`. */
  private fieldValue(): QueryNode {
    const name = this.fieldName(this.next());
    this.index++; // the colon
    const token = this.peek();
    if (token.type === 'lparen') {
      this.index++;
      const node = this.nested(token, () => this.valueOr(name));
      this.expectClosing(token);
      return node;
    }
    if (token.type === 'word' || token.type === 'quoted') {
      this.index++;
      return this.value(name, token);
    }
    throw syntaxError(this.query, token.start, `expected a value after '${name}:' (a word, a "quoted phrase", * or a list in parentheses)`);
  }

  private valueOr(field: string): QueryNode {
    const clauses = [this.valueAnd(field)];
    while (this.isKeyword('or')) {
      this.index++;
      clauses.push(this.valueAnd(field));
    }
    return combine('or', clauses);
  }

  private valueAnd(field: string): QueryNode {
    const clauses = [this.valueNot(field)];
    for (;;) {
      if (this.isKeyword('and')) {
        this.index++;
      } else if (!this.startsClause()) {
        return combine('and', clauses);
      }
      clauses.push(this.valueNot(field));
    }
  }

  private valueNot(field: string): QueryNode {
    const token = this.peek();
    if (this.isKeyword('not')) {
      this.index++;
      return this.nested(token, () => q.not(this.valueNot(field)));
    }
    if (token.type === 'lparen') {
      this.index++;
      const node = this.nested(token, () => this.valueOr(field));
      this.expectClosing(token);
      return node;
    }
    if ((token.type === 'word' && !this.isKeyword()) || token.type === 'quoted') {
      this.index++;
      return this.value(field, token);
    }
    if (token.type === 'eof') throw syntaxError(this.query, token.start, `the query ends where a value for '${field}' was expected`);
    throw syntaxError(this.query, token.start, `expected a value for '${field}' here, found ${this.describe(token)}`);
  }

  /** `field >= value`. */
  private fieldRange(): QueryNode {
    const nameToken = this.next();
    const name = this.fieldName(nameToken);
    const op = this.next();
    if (op.type !== 'range') throw syntaxError(this.query, op.start, 'expected a comparison');
    const token = this.next();
    if (token.type !== 'word' && token.type !== 'quoted') {
      throw syntaxError(this.query, token.start, `expected a value after '${this.query.slice(op.start, op.end)}'`);
    }
    this.count(nameToken);
    const type = this.typeOf(name);
    const text = token.type === 'word' ? token.literal : token.text;
    let value: RangeValue;
    switch (type) {
      case 'long':
      case 'double':
        value = this.number(name, type, text, token.start);
        break;
      case 'date':
        value = parseTime(text, this.options.now ?? Date.now(), { query: this.query, position: token.start });
        break;
      case 'text':
        throw queryError(this.query, nameToken.start, `'${name}' is a text field; ranges work on numbers, dates and keywords`);
      case 'ip':
        value = this.address(name, text, token.start);
        break;
      case 'boolean':
      case 'flattened':
      case 'geo_point':
        throw queryError(this.query, nameToken.start, `ranges on ${type} fields such as '${name}' are not supported`);
      case 'keyword':
        value = text;
        break;
    }
    return q.range(name, { [op.op]: value });
  }

  /** One value, for a field or (field null) for the message. */
  private value(field: string | null, token: Token): QueryNode {
    this.count(token);
    if (token.type === 'quoted') {
      if (field === null) return q.phrase(null, token.text);
      return this.typedPhrase(field, token.text, token.start);
    }
    if (token.type !== 'word') throw syntaxError(this.query, token.start, `unexpected ${this.describe(token)}`);
    if (token.pattern === '*') return field === null ? q.all() : q.exists(field);
    if (token.wildcard) {
      const stars = token.pattern.replace(/\\./g, '').split('*').length - 1;
      if (stars > this.limits.maxWildcards) {
        throw queryError(this.query, token.start, `a value may hold at most ${this.limits.maxWildcards} wildcards (*)`);
      }
      const type = field === null ? 'text' : this.typeOf(field);
      if (type !== 'keyword' && type !== 'text') {
        throw queryError(this.query, token.start, `wildcards work on keyword and text fields; '${field}' is ${type}`);
      }
      return q.wildcard(field, token.pattern);
    }
    if (field === null) return q.term(null, token.literal);
    return this.typedTerm(field, token.literal, token.start);
  }

  private typedTerm(field: string, text: string, position: number): QueryNode {
    const type = this.typeOf(field);
    switch (type) {
      case 'long':
      case 'double':
        return q.term(field, this.number(field, type, text, position));
      case 'boolean':
        if (text !== 'true' && text !== 'false') throw queryError(this.query, position, `'${field}' is true or false, not '${text}'`);
        return q.term(field, text === 'true');
      case 'date':
        return q.term(field, parseTime(text, this.options.now ?? Date.now(), { query: this.query, position }));
      case 'flattened':
      case 'geo_point':
        throw queryError(this.query, position, `'${field}' is ${type}; search it with ${field}:* (exists)`);
      case 'ip': {
        // A CIDR block is the range of its addresses.
        const block = text.includes('/') ? cidrBounds(text) : undefined;
        if (block) return q.range(field, { gte: block.first, lte: block.last });
        return q.term(field, this.address(field, text, position));
      }
      case 'keyword':
      case 'text':
        return q.term(field, text);
    }
  }

  private address(field: string, text: string, position: number): string {
    if (ipKey(text) === undefined) {
      throw queryError(this.query, position, `'${field}' holds IP addresses; '${text}' is neither an address nor a CIDR block such as 10.0.0.0/8`);
    }
    return text;
  }

  /** A quoted value: a phrase on text, equality on keyword, the typed value elsewhere. */
  private typedPhrase(field: string, text: string, position: number): QueryNode {
    const type = this.typeOf(field);
    if (type === 'text' || type === 'keyword') return q.phrase(field, text);
    return this.typedTerm(field, text, position);
  }

  private number(field: string, type: FieldType, text: string, position: number): number {
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value) || (type === 'long' && !Number.isInteger(value))) {
      throw queryError(this.query, position, `'${field}' holds ${type === 'long' ? 'whole numbers' : 'numbers'}; '${text}' is not one`);
    }
    return value;
  }

  private typeOf(field: string): FieldType {
    return knownField(field)?.type ?? this.options.fieldType?.(field) ?? 'keyword';
  }

  private fieldName(token: Token): string {
    if (token.type !== 'word') throw syntaxError(this.query, token.start, 'expected a field name');
    const name = token.literal;
    if (!FIELD_NAME.test(name)) throw syntaxError(this.query, token.start, `'${name}' is not a field name`);
    if (knownField(name)?.searchable === false) throw queryError(this.query, token.start, `'${name}' is stored but not indexed, so it cannot be searched`);
    return name;
  }

  private nested<T>(token: Token, parse: () => T): T {
    if (++this.depth > this.limits.maxDepth) {
      throw queryError(this.query, token.start, `the query nests deeper than ${this.limits.maxDepth} levels`);
    }
    const result = parse();
    this.depth--;
    return result;
  }

  private count(token: Token): void {
    if (++this.clauses > this.limits.maxClauses) {
      throw queryError(this.query, token.start, `the query has more than ${this.limits.maxClauses} clauses`);
    }
  }

  private expectClosing(open: Token): void {
    const token = this.peek();
    if (token.type !== 'rparen') {
      throw syntaxError(this.query, token.type === 'eof' ? open.start : token.start, token.type === 'eof' ? "this '(' is never closed" : `expected ')' but found ${this.describe(token)}`);
    }
    this.index++;
  }

  private startsClause(): boolean {
    const token = this.peek();
    return token.type === 'lparen' || token.type === 'quoted' || (token.type === 'word' && (!this.isKeyword() || this.isKeyword('not')));
  }

  /** True for an unescaped, unquoted `and`/`or`/`not` (any case); with `which`, for that one. */
  private isKeyword(which?: string): boolean {
    const token = this.peek();
    if (token.type !== 'word') return false;
    const raw = this.query.slice(token.start, token.end).toLowerCase();
    return KEYWORDS.has(raw) && (which === undefined || raw === which);
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    return this.tokens[this.index++] as Token;
  }

  private describe(token: Token): string {
    switch (token.type) {
      case 'eof':
        return 'the end of the query';
      case 'word':
        return `'${token.literal}'`;
      case 'quoted':
        return `"${token.text}"`;
      default:
        return `'${this.query.slice(token.start, token.end)}'`;
    }
  }
}

/** Flattens nested and/or of the same kind; one clause stands alone. */
function combine(kind: 'and' | 'or', clauses: QueryNode[]): QueryNode {
  const flat = clauses.flatMap((clause) => (clause.kind === kind ? clause.clauses : [clause]));
  return flat.length === 1 ? (flat[0] as QueryNode) : { kind, clauses: flat };
}
