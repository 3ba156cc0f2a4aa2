/**
 * QueryNode -> parameterized SQL (a WHERE condition over `events AS e`), one compile function per
 * node kind. The semantics are store/query.ts's: the field's type decides how a value compares.
 */
import { FaultlineError } from '../../core/errors.ts';
import type { FieldType } from '../../core/event/fields.ts';
import { parsePattern, targetField, type QueryNode, type RangeValue } from '../query.ts';
import { tokenize } from '../text.ts';
import type { FieldTypes, ResolvedField } from './fields.ts';
import { wildcardGlob } from './functions.ts';
import { anyValue, hasValue, indexedKeyword, textMatches } from './predicates.ts';
import { concat, FALSE, joinSql, sql, TRUE, type Sql } from './sql.ts';
import { ftsQuery, textColumn } from './text-index.ts';
import { booleanOf, instantOf, ipKeyOf, isIndexedKeyword, keywordOf, numberOf } from './values.ts';

type NodeOf<K extends QueryNode['kind']> = Extract<QueryNode, { kind: K }>;

export function compileQuery(node: QueryNode, fields: FieldTypes): Sql {
  switch (node.kind) {
    case 'all':
      return TRUE;
    case 'term':
      return compileTerm(node, fields);
    case 'phrase':
      return compilePhrase(node, fields);
    case 'wildcard':
      return compileWildcard(node, fields);
    case 'range':
      return compileRange(node, fields);
    case 'exists':
      return compileExists(node, fields);
    case 'and':
      return compileAnd(node, fields);
    case 'or':
      return compileOr(node, fields);
    case 'not':
      return compileNot(node, fields);
    default:
      return unknownNode(node);
  }
}

function unknownNode(node: never): never {
  throw new FaultlineError('FL_ERR_QUERY_INVALID', `unknown query node kind ${JSON.stringify((node as { kind?: unknown }).kind)}`);
}

function compileTerm(node: NodeOf<'term'>, fields: FieldTypes): Sql {
  return equals(fields.resolve(targetField(node.field)), node.value, 'term');
}

function compilePhrase(node: NodeOf<'phrase'>, fields: FieldTypes): Sql {
  const field = fields.resolve(targetField(node.field));
  if (field.type !== 'text') return equals(field, node.value, 'phrase');
  const tokens = tokenize(node.value);
  if (tokens.length === 0) return FALSE;
  return textMatches(ftsQuery.phrase(ftsColumnOf(field), tokens));
}

function compileWildcard(node: NodeOf<'wildcard'>, fields: FieldTypes): Sql {
  const field = fields.resolve(targetField(node.field));
  switch (field.type) {
    case 'text':
      return textWildcard(field, node.pattern.toLowerCase());
    case 'keyword':
    case 'flattened':
      return anyValue(field, (value) => sql(`${value} GLOB ? AND ${indexedKeyword(value)}`, wildcardGlob(node.pattern)));
    case 'long':
    case 'double':
    case 'boolean':
    case 'date':
    case 'ip':
    case 'geo_point':
      return typedWildcard(field, node.pattern);
  }
}

/** Fields without wildcard support take the two patterns that need none: `*` alone (exists) and plain text (equality). */
function typedWildcard(field: ResolvedField, pattern: string): Sql {
  const parts = parsePattern(pattern);
  if (parts.length > 0 && parts.every((part) => 'any' in part)) return hasValue(field);
  if (parts.every((part) => 'literal' in part)) return equals(field, parts.map((part) => ('literal' in part ? part.literal : '')).join(''), 'wildcard');
  throw unsupported('wildcard', field, 'keyword and text fields');
}

const RANGE_OPERATORS = [
  ['gt', '>'],
  ['gte', '>='],
  ['lt', '<'],
  ['lte', '<='],
] as const;

function compileRange(node: NodeOf<'range'>, fields: FieldTypes): Sql {
  const field = fields.resolve(node.field);
  const read = rangeReader(field);
  const bounds: [string, string | number][] = [];
  for (const [key, operator] of RANGE_OPERATORS) {
    const bound = node[key];
    if (bound === undefined) continue;
    const value = read(bound);
    if (value === undefined) return FALSE;
    bounds.push([operator, value]);
  }
  return anyValue(field, (value) => {
    const conditions = bounds.map(([operator, bound]) => sql(`${value} ${operator} ?`, bound));
    conditions.push(sql(field.type === 'keyword' || field.type === 'flattened' ? indexedKeyword(value) : `${value} IS NOT NULL`));
    return joinSql(conditions, ' AND ');
  });
}

function compileExists(node: NodeOf<'exists'>, fields: FieldTypes): Sql {
  return hasValue(fields.resolve(node.field));
}

function compileAnd(node: NodeOf<'and'>, fields: FieldTypes): Sql {
  if (node.clauses.length === 0) return TRUE;
  return concat('(', joinSql(node.clauses.map((clause) => compileQuery(clause, fields)), ' AND '), ')');
}

function compileOr(node: NodeOf<'or'>, fields: FieldTypes): Sql {
  if (node.clauses.length === 0) return FALSE;
  return concat('(', joinSql(node.clauses.map((clause) => compileQuery(clause, fields)), ' OR '), ')');
}

function compileNot(node: NodeOf<'not'>, fields: FieldTypes): Sql {
  return concat('NOT (', compileQuery(node.clause, fields), ')');
}

/**
 * Whole-value equality, as `term` and `phrase` mean it on every field but text (where it is all
 * tokens). A value the field's type cannot hold matches nothing.
 */
function equals(field: ResolvedField, value: string | number | boolean, kind: string): Sql {
  const where = (parameter: string | number | undefined): Sql =>
    parameter === undefined ? FALSE : anyValue(field, (expression) => sql(`${expression} = ?`, parameter));
  switch (field.type) {
    case 'keyword':
    case 'flattened': {
      const text = keywordOf(value);
      // A value too long to be indexed cannot equal an indexed one, so no length check per row is needed.
      return where(isIndexedKeyword(text) ? text : undefined);
    }
    case 'long': {
      const number = numberOf(value);
      return where(number !== undefined && Number.isSafeInteger(number) ? number : undefined);
    }
    case 'double':
      return where(numberOf(value));
    case 'boolean':
      return where(booleanOf(value));
    case 'date':
      return where(instantOf(value));
    case 'ip':
      return where(ipKeyOf(value));
    case 'text':
      return textTerm(field, String(value));
    case 'geo_point':
      throw unsupported(kind, field, 'fields other than geo_point (which takes exists queries only)');
  }
}

/** Every token of the value occurs in the field. */
function textTerm(field: ResolvedField, value: string): Sql {
  const tokens = tokenize(value);
  if (tokens.length === 0) return FALSE;
  return textMatches(ftsQuery.allTokens(ftsColumnOf(field), tokens));
}

/** Any one token of the field matches the (lowercased) pattern: through the index for `word` and `word*`. */
function textWildcard(field: ResolvedField, pattern: string): Sql {
  const parts = parsePattern(pattern);
  const [first, second] = parts;
  const word = first && 'literal' in first && isSingleToken(first.literal) ? first.literal : undefined;
  if (word !== undefined && parts.length === 1) return textMatches(ftsQuery.allTokens(ftsColumnOf(field), [word]));
  if (word !== undefined && parts.length === 2 && second && 'any' in second) return textMatches(ftsQuery.prefix(ftsColumnOf(field), word));
  return anyValue(field, (value) => sql(`fl_token_match(${value}, ?)`, pattern));
}

function isSingleToken(text: string): boolean {
  const tokens = tokenize(text);
  return tokens.length === 1 && tokens[0] === text;
}

function ftsColumnOf(field: ResolvedField): string {
  const column = textColumn(field.name);
  if (column === undefined) throw new FaultlineError('FL_ERR_STORE_FAILED', `text field '${field.name}' has no full-text index column`);
  return column;
}

/** Reads range bounds as the field's type compares them; undefined for a bound it cannot hold. */
function rangeReader(field: ResolvedField): (bound: RangeValue) => string | number | undefined {
  switch (field.type) {
    case 'long':
    case 'double':
      return numberOf;
    case 'date':
      return instantOf;
    case 'keyword':
    case 'flattened':
      return keywordOf;
    case 'boolean':
      return booleanOf;
    case 'ip':
      return ipKeyOf;
    case 'text':
    case 'geo_point':
      throw unsupported('range', field, 'numeric, date, keyword, boolean and ip fields');
  }
}

function unsupported(kind: string, field: { name: string; type: FieldType }, accepted: string): FaultlineError {
  return new FaultlineError('FL_ERR_QUERY_INVALID', `${kind} queries do not work on ${field.type} field '${field.name}'; they work on ${accepted}`, {
    field: field.name,
    type: field.type,
  });
}
