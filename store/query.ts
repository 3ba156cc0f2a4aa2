/**
 * The query shape every store takes: a small typed AST, a discriminated union on `kind`. The query
 * language compiles text into it; each backend compiles it into its own form (Elasticsearch DSL,
 * parameterized SQL) and never receives user text in its own syntax.
 *
 * Semantics, the same on every backend (the contract suite checks them):
 * - `field: null` means the default text field, `message`.
 * - Text fields (`message`, `error.message`) are tokenized by `tokenize` in store/text.ts, which is
 *   Elasticsearch's built-in `standard` analyzer (UAX #29 word boundaries, lowercased; this is the
 *   analyzer the Elasticsearch backend maps text fields with, and the embedded store indexes the
 *   tokens `tokenize` returns, pre-tokenized, since no FTS5 tokenizer follows these rules).
 *   `term` on a text field matches when every token of the value
 *   occurs; `phrase` when they occur adjacent and in order; `wildcard` when any one token matches
 *   the (lowercased) pattern.
 * - Other fields compare whole values: `term` and `phrase` are equality (an array field matches
 *   when any element does); `wildcard` matches the whole value, case-sensitively; keyword values
 *   longer than KEYWORD_IGNORE_ABOVE are stored but never match.
 * - `range` compares numbers numerically, dates by instant (ISO 8601 or epoch ms), keywords by
 *   UTF-8 bytes.
 * - `exists` matches a non-null value (an empty array does not exist).
 */
export type QueryNode =
  | { kind: 'all' }
  | { kind: 'term'; field: string | null; value: string | number | boolean }
  | { kind: 'phrase'; field: string | null; value: string }
  /** `*` matches any run of characters, `?` one character, `\` escapes the next character. */
  | { kind: 'wildcard'; field: string | null; pattern: string }
  | { kind: 'range'; field: string; gt?: RangeValue; gte?: RangeValue; lt?: RangeValue; lte?: RangeValue }
  | { kind: 'exists'; field: string }
  | { kind: 'and'; clauses: QueryNode[] }
  | { kind: 'or'; clauses: QueryNode[] }
  | { kind: 'not'; clause: QueryNode };

export type RangeValue = string | number;
export type QueryKind = QueryNode['kind'];

/** The field a text-capable node searches. */
export const DEFAULT_TEXT_FIELD = 'message';

export function targetField(field: string | null): string {
  return field ?? DEFAULT_TEXT_FIELD;
}

/** Builders, so tests and callers read like the query they mean. */
export const q = {
  all: (): QueryNode => ({ kind: 'all' }),
  term: (field: string | null, value: string | number | boolean): QueryNode => ({ kind: 'term', field, value }),
  phrase: (field: string | null, value: string): QueryNode => ({ kind: 'phrase', field, value }),
  wildcard: (field: string | null, pattern: string): QueryNode => ({ kind: 'wildcard', field, pattern }),
  range: (field: string, bounds: { gt?: RangeValue; gte?: RangeValue; lt?: RangeValue; lte?: RangeValue }): QueryNode => ({
    kind: 'range',
    field,
    ...bounds,
  }),
  exists: (field: string): QueryNode => ({ kind: 'exists', field }),
  and: (...clauses: QueryNode[]): QueryNode => ({ kind: 'and', clauses }),
  or: (...clauses: QueryNode[]): QueryNode => ({ kind: 'or', clauses }),
  not: (clause: QueryNode): QueryNode => ({ kind: 'not', clause }),
};

/** Splits a wildcard pattern into literal text and wildcards, resolving `\` escapes. */
export type PatternPart = { literal: string } | { any: true } | { one: true };

export function parsePattern(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '\\' && i + 1 < pattern.length) {
      literal += pattern[++i];
    } else if (char === '*' || char === '?') {
      if (literal !== '') parts.push({ literal });
      literal = '';
      parts.push(char === '*' ? { any: true } : { one: true });
    } else {
      literal += char;
    }
  }
  if (literal !== '') parts.push({ literal });
  return parts;
}
