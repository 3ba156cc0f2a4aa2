/**
 * The query AST (store/query.ts) compiled to the Elasticsearch query DSL, one function per node
 * kind. Field types decide the semantics, as the header of store/query.ts fixes them; values are
 * parsed here, as the reference evaluator parses them, so that Elasticsearch never sees a value its
 * field cannot hold (it would fail the whole search) and both stores agree on odd input.
 */
import { isIP } from 'node:net';
import type { estypes } from '@elastic/elasticsearch';
import { FaultlineError } from '../../core/errors.ts';
import { KEYWORD_IGNORE_ABOVE, knownField, type FieldType } from '../../core/event/fields.ts';
import type { TimeRange } from '../contract.ts';
import { parsePattern, targetField, type QueryNode, type RangeValue } from '../query.ts';
import { tokenize } from '../text.ts';
import { DATE_FORMAT } from './mapping.ts';

// The client's type admits undefined (an artifact of its ExactlyOne helper); a compiled query never is.
export type Dsl = NonNullable<estypes.QueryDslQueryContainer>;
export type TypeOf = (field: string) => FieldType;

type Node<K extends QueryNode['kind']> = Extract<QueryNode, { kind: K }>;

const MATCH_NONE: Dsl = { match_none: {} };

/** Compiles a query; `typeOf` gives each field's type (catalogue, else mapping, else keyword). */
export function compileQuery(node: QueryNode, typeOf: TypeOf): Dsl {
  switch (node.kind) {
    case 'all':
      return { match_all: {} };
    case 'term':
      return compileTerm(node, typeOf);
    case 'phrase':
      return compilePhrase(node, typeOf);
    case 'wildcard':
      return compileWildcard(node, typeOf);
    case 'range':
      return compileRange(node, typeOf);
    case 'exists':
      return compileExists(node, typeOf);
    case 'and':
      return node.clauses.length === 0 ? { match_all: {} } : { bool: { filter: node.clauses.map((clause) => compileQuery(clause, typeOf)) } };
    case 'or':
      return node.clauses.length === 0
        ? MATCH_NONE
        : { bool: { should: node.clauses.map((clause) => compileQuery(clause, typeOf)), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [compileQuery(node.clause, typeOf)] } };
    default: {
      const unknown: never = node;
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `unknown query node ${JSON.stringify(unknown)}`);
    }
  }
}

/** The query restricted to [from, to), in filter context: results are sorted, never scored. */
export function filtered(query: Dsl, range: TimeRange): Dsl {
  const window: Dsl = { range: { '@timestamp': { gte: range.from, lt: range.to, format: 'epoch_millis' } } };
  return { bool: { filter: Object.hasOwn(query, 'match_all') ? [window] : [window, query] } };
}

/** Every field a query names, so their types can be looked up before compiling. */
export function queryFields(node: QueryNode): string[] {
  switch (node.kind) {
    case 'all':
      return [];
    case 'term':
    case 'phrase':
    case 'wildcard':
      return [targetField(node.field)];
    case 'range':
    case 'exists':
      return [node.field];
    case 'and':
    case 'or':
      return node.clauses.flatMap(queryFields);
    case 'not':
      return queryFields(node.clause);
    default: {
      const unknown: never = node;
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `unknown query node ${JSON.stringify(unknown)}`);
    }
  }
}

export function compileTerm(node: Node<'term'>, typeOf: TypeOf): Dsl {
  const field = searchableField(node.field);
  const type = typeOf(field);
  if (type === 'text') return matchTokens(field, String(node.value), 'match');
  return equals(field, type, node.value, 'term');
}

export function compilePhrase(node: Node<'phrase'>, typeOf: TypeOf): Dsl {
  const field = searchableField(node.field);
  const type = typeOf(field);
  if (type === 'text') return matchTokens(field, node.value, 'match_phrase');
  return equals(field, type, node.value, 'phrase');
}

export function compileWildcard(node: Node<'wildcard'>, typeOf: TypeOf): Dsl {
  const field = searchableField(node.field);
  const type = typeOf(field);
  if (type === 'text') return { wildcard: { [field]: { value: wildcardText(node.pattern.toLowerCase()) } } };
  if (type === 'keyword' || type === 'flattened') return { wildcard: { [field]: { value: wildcardText(node.pattern) } } };
  const parts = parsePattern(node.pattern);
  // `*` alone matches any value: on fields without wildcard support that is "exists".
  if (parts.length > 0 && parts.every((part) => 'any' in part)) return { exists: { field } };
  if (parts.every((part) => 'literal' in part)) return equals(field, type, parts.map((part) => ('literal' in part ? part.literal : '')).join(''), 'wildcard');
  throw unsupported('wildcard', field, type, 'keyword and text fields');
}

export function compileRange(node: Node<'range'>, typeOf: TypeOf): Dsl {
  const field = searchableField(node.field);
  const type = typeOf(field);
  const bounds: Record<'gt' | 'gte' | 'lt' | 'lte', RangeValue | undefined> = { gt: node.gt, gte: node.gte, lt: node.lt, lte: node.lte };
  const out: Record<string, string | number> = {};
  for (const [name, bound] of Object.entries(bounds)) {
    if (bound === undefined) continue;
    const value = rangeValue(field, type, bound);
    // A bound that cannot be compared (NaN) matches nothing, as in the reference evaluator.
    if (value === undefined) return MATCH_NONE;
    out[name] = value;
  }
  if (type === 'date') out['format'] = DATE_FORMAT;
  return { range: { [field]: out } };
}

export function compileExists(node: Node<'exists'>, typeOf: TypeOf): Dsl {
  const field = searchableField(node.field);
  const exists: Dsl = { exists: { field } };
  if (typeOf(field) !== 'keyword') return exists;
  // Values over ignore_above are stored but not indexed; Elasticsearch lists the field in `_ignored`.
  return { bool: { should: [exists, { term: { _ignored: field } }], minimum_should_match: 1 } };
}

function searchableField(field: string | null): string {
  const name = targetField(field);
  if (knownField(name)?.searchable === false) {
    throw new FaultlineError('FL_ERR_QUERY_INVALID', `field '${name}' is stored but not indexed, so it cannot be queried or aggregated`, { field: name });
  }
  return name;
}

/**
 * Text fields: every token (match, AND) or the tokens adjacent and in order (match_phrase), the
 * value analyzed by the field's `standard` analyzer, which `tokenize` reproduces.
 */
function matchTokens(field: string, value: string, kind: 'match' | 'match_phrase'): Dsl {
  if (tokenize(value).length === 0) return MATCH_NONE;
  if (kind === 'match') return { match: { [field]: { query: value, operator: 'and' } } };
  return { match_phrase: { [field]: { query: value } } };
}

/** Equality on a whole value; a value the field's type cannot hold matches nothing. */
function equals(field: string, type: Exclude<FieldType, 'text'>, value: string | number | boolean, kind: QueryNode['kind']): Dsl {
  switch (type) {
    case 'keyword':
    case 'flattened': {
      const text = String(value);
      return text.length > KEYWORD_IGNORE_ABOVE ? MATCH_NONE : { term: { [field]: text } };
    }
    case 'long':
    case 'double': {
      const number = toNumber(value);
      if (number === undefined || (type === 'long' && !Number.isSafeInteger(number))) return MATCH_NONE;
      return { term: { [field]: number } };
    }
    case 'date': {
      const ms = toEpochMs(value);
      return ms === undefined ? MATCH_NONE : { range: { [field]: { gte: ms, lte: ms, format: DATE_FORMAT } } };
    }
    case 'ip':
      return typeof value === 'string' && isIP(value) !== 0 ? { term: { [field]: value } } : MATCH_NONE;
    case 'boolean': {
      const text = String(value);
      return text === 'true' || text === 'false' ? { term: { [field]: text === 'true' } } : MATCH_NONE;
    }
    case 'geo_point':
      throw unsupported(kind, field, type, 'fields other than geo_point (which takes exists queries only)');
  }
}

function rangeValue(field: string, type: FieldType, bound: RangeValue): string | number | undefined {
  switch (type) {
    case 'long':
    case 'double':
      return toNumber(bound);
    case 'date':
      return toEpochMs(bound);
    case 'ip':
      return typeof bound === 'string' && isIP(bound) !== 0 ? bound : undefined;
    case 'keyword':
    case 'flattened':
    case 'boolean':
      return String(bound);
    case 'text':
    case 'geo_point':
      throw unsupported('range', field, type, 'numeric, date, keyword, boolean and ip fields');
  }
}

/** The embedded store's words for a query a field's type cannot answer, so both backends refuse alike. */
function unsupported(kind: string, field: string, type: FieldType, accepted: string): FaultlineError {
  return new FaultlineError('FL_ERR_QUERY_INVALID', `${kind} queries do not work on ${type} field '${field}'; they work on ${accepted}`, { field, type });
}

/** Numbers as the reference reads them (`Number(...)`), refusing what is not a finite number. */
function toNumber(value: string | number | boolean): number | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Instants as epoch ms: numbers as they are, strings through Date.parse (ISO 8601). */
function toEpochMs(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A store pattern (`*`, `?`, `\` escapes) in Lucene's wildcard syntax, which escapes with `\` too. */
export function wildcardText(pattern: string): string {
  return parsePattern(pattern)
    .map((part) => ('literal' in part ? part.literal.replace(/[*?\\]/g, '\\$&') : 'any' in part ? '*' : '?'))
    .join('');
}
