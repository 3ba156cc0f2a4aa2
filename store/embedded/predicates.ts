/**
 * The SQL shapes a compiled query is made of. Every one evaluates to 0 or 1, never NULL, so that
 * `NOT` keeps two-valued logic. Fields are read from the JSON document with json_each, which
 * yields the value itself for a scalar and each element for an array, so "an array matches when
 * any element does" is one EXISTS.
 */
import { KEYWORD_IGNORE_ABOVE, type FieldType } from '../../core/event/fields.ts';
import type { ResolvedField } from './fields.ts';
import { concat, sql, type Sql } from './sql.ts';
import { columnReader, markedRow } from './value-columns.ts';

/** SQL expressions reading one value as each kind of field reads it: NULL when the value is not of that kind. */
export interface ValueReader {
  keyword: string;
  number: string;
  boolean: string;
  instant: string;
  ipKey: string;
  text: string;
}

/** Readers over a json_each or json_tree row named `alias`. */
export function jsonValues(alias: string): ValueReader {
  const type = `${alias}.type`;
  const value = `${alias}.value`;
  return {
    // Numbers and booleans in a keyword field compare as the strings Elasticsearch coerces them to.
    keyword: `CASE ${type} WHEN 'text' THEN ${value} WHEN 'integer' THEN CAST(${value} AS TEXT) WHEN 'real' THEN CAST(${value} AS TEXT) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END`,
    number: `CASE WHEN ${type} IN ('integer', 'real') THEN ${value} END`,
    boolean: `CASE ${type} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END`,
    instant: `CASE WHEN ${type} = 'text' THEN fl_date_ms(${value}) END`,
    ipKey: `CASE WHEN ${type} = 'text' THEN fl_ip_key(${value}) END`,
    text: `CASE WHEN ${type} = 'text' THEN ${value} END`,
  };
}

const NONE: ValueReader = { keyword: 'NULL', number: 'NULL', boolean: 'NULL', instant: 'NULL', ipKey: 'NULL', text: 'NULL' };
const COLUMN_VALUES: Record<'ts' | 'id', ValueReader> = {
  ts: { ...NONE, instant: 'e.ts' },
  id: { ...NONE, keyword: 'e.id' },
};

/** The expression a field's type compares and groups by; undefined for types without one value (text, geo_point). */
export function typedValue(reader: ValueReader, type: FieldType): string | undefined {
  switch (type) {
    case 'keyword':
    case 'flattened':
      return reader.keyword;
    case 'long':
    case 'double':
      return reader.number;
    case 'boolean':
      return reader.boolean;
    case 'date':
      return reader.instant;
    case 'ip':
      return reader.ipKey;
    case 'text':
      return reader.text;
    case 'geo_point':
      return undefined;
  }
}

/**
 * Where a field's values come from in a join (`alias` names the rows) and the condition that keeps
 * only its values: a json_each over the path keeps the scalar or array elements (an object's
 * members are other fields), a flattened field's json_tree keeps every leaf.
 */
export function valueSource(field: ResolvedField, alias: string): { from: string; where: string } {
  if (field.type === 'flattened') return { from: `json_tree(e.doc, ?) AS ${alias}`, where: `${alias}.type NOT IN ('object', 'array')` };
  return { from: `json_each(e.doc, ?) AS ${alias}`, where: `typeof(${alias}.key) <> 'text'` };
}

/** True when any value of the field meets the condition built on its typed value expression. */
export function anyValue(field: ResolvedField, condition: (value: string) => Sql): Sql {
  // Columns are NOT NULL and bound values never null, so the bare condition is already 0 or 1 (and can use the column's index).
  if (field.column) return concat('(', condition(typedValue(COLUMN_VALUES[field.column], field.type) ?? 'NULL'), ')');
  const source = valueSource(field, 'j');
  const value = typedValue(jsonValues('j'), field.type) ?? 'NULL';
  const fromDocument = concat(sql(`EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where} AND `, field.path), condition(value), ')');
  if (!field.valueColumn) return fromDocument;
  // The condition reads the bare column first, and only where it holds does the typed reader (NULL
  // where the event holds no value and on a marked row, which the document decides) check that the
  // column held a value of the field's type: where the reader is non-NULL it equals the bare value,
  // so the answer is the reader's, 0 or 1. Most rows fail the condition and SQLite stops at the
  // first false term; with the reader inside the condition a filter's walk of the index took twice as long.
  const fromColumn = concat('(', condition(`e.${field.valueColumn.name}`), ` AND ${columnReader(field.valueColumn.name, field.type)} IS NOT NULL)`);
  if (!field.valueColumn.mixed) return fromColumn;
  return concat('(', fromColumn, ` OR (${markedRow(field.valueColumn.name)} AND `, fromDocument, '))');
}

/** A non-null value anywhere at the field (an empty array, or an object of nulls, holds none). */
export function hasValue(field: ResolvedField): Sql {
  if (field.column) return sql('1');
  // A marked row holds values too (an array of them, or a keyword too long to index).
  if (field.valueColumn) return sql(`e.${field.valueColumn.name} IS NOT NULL`);
  return sql("EXISTS (SELECT 1 FROM json_tree(e.doc, ?) AS j WHERE j.type NOT IN ('null', 'object', 'array'))", field.path);
}

/** Keyword values longer than KEYWORD_IGNORE_ABOVE UTF-16 units are stored but not indexed. Bytes bound units from above, so the function runs only for long values. */
export function indexedKeyword(value: string): string {
  return `(octet_length(${value}) <= ${KEYWORD_IGNORE_ABOVE} OR fl_len16(${value}) <= ${KEYWORD_IGNORE_ABOVE})`;
}

const TEXT_MATCH = 'e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)';

/** Events whose text index matches an FTS5 query built by text-index.ts from store/text.ts tokens. */
export function textMatches(ftsQueryText: string): Sql {
  return sql(TEXT_MATCH, ftsQueryText);
}

/** Whether a compiled condition consults the text index. */
export function usesTextIndex(condition: Sql): boolean {
  return condition.text.includes(TEXT_MATCH);
}

/** The FTS5 queries a compiled condition runs (the text holds no `?` but its placeholders). */
export function textIndexQueries(condition: Sql): string[] {
  const queries: string[] = [];
  let at = condition.text.indexOf(TEXT_MATCH);
  while (at >= 0) {
    const before = condition.text.slice(0, at).split('?').length - 1;
    queries.push(String(condition.params[before]));
    at = condition.text.indexOf(TEXT_MATCH, at + TEXT_MATCH.length);
  }
  return queries;
}
