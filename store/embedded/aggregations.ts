/** Counting by value: `topValues` for the field sidebar and `aggregate` for correlation rules. */
import { FaultlineError } from '../../core/errors.ts';
import { contractValue } from '../values.ts';
import type { AggregateRequest, AggregateRow, TopValue, TopValuesRequest } from '../contract.ts';
import { checkInteger, checkRange } from './checks.ts';
import { compileQuery } from './compile.ts';
import type { Connection } from './connection.ts';
import type { FieldTypes, ResolvedField } from './fields.ts';
import { indexedKeyword, jsonValues, typedValue, valueSource } from './predicates.ts';
import { MAX_PAGE_SIZE } from './search.ts';
import { concat, sql, type Sql } from './sql.ts';

/** How one field's values join in: its rows (`alias`), its key expression, and the filter on keys. */
interface KeyedField {
  field: ResolvedField;
  from: Sql;
  where: string;
  key: string;
  /** Applied to the key column once computed (Elasticsearch does not aggregate unindexed keywords). */
  keep: (column: string) => string;
}

function keyed(field: ResolvedField, alias: string, purpose: string): KeyedField {
  const reader = jsonValues(alias);
  // ip values group and order as the text they are written in, as the contract orders them.
  const key = field.type === 'text' ? undefined : field.type === 'ip' ? reader.text : typedValue(reader, field.type);
  if (key === undefined) {
    throw new FaultlineError('FL_ERR_QUERY_INVALID', `cannot take ${purpose} of ${field.type} field '${field.name}'; use a keyword, numeric, date, boolean or ip field`, {
      field: field.name,
      type: field.type,
    });
  }
  const source = valueSource(field, alias);
  const keyword = field.type === 'keyword' || field.type === 'flattened';
  return {
    field,
    from: sql(source.from, field.path),
    where: source.where,
    key,
    keep: (column) => (keyword ? `${column} IS NOT NULL AND ${indexedKeyword(column)}` : `${column} IS NOT NULL`),
  };
}


/**
 * The most frequent values of a field among matching events, counting each array element (as the
 * contract's reference does; Elasticsearch would count an event once per distinct value), most
 * frequent first, ties by value ascending (numbers numerically, strings and ip addresses by UTF-8
 * bytes). Dates answer epoch ms.
 */
export function topValues(connection: Connection, fields: FieldTypes, request: TopValuesRequest): TopValue[] {
  checkRange(request.range);
  checkInteger('size', request.size, 1, MAX_PAGE_SIZE);
  const values = keyed(fields.resolve(request.field), 'v', 'top values');
  const rows = connection.all(
    concat(
      `SELECT k, count(*) AS n FROM (SELECT ${values.key} AS k FROM events AS e, `,
      values.from,
      sql(` WHERE ${values.where} AND e.ts >= ? AND e.ts < ? AND `, request.range.from, request.range.to),
      compileQuery(request.query, fields),
      sql(`) WHERE ${values.keep('k')} GROUP BY k ORDER BY n DESC, k ASC LIMIT ?`, request.size),
    ),
  );
  return rows.map((row) => ({ value: contractValue(values.field.type, row['k'] ?? null), count: Number(row['n']) }));
}

/**
 * Counts per group per tumbling window. An event counts once in each combination of the group
 * values it holds (array elements fan out, as Elasticsearch's composite aggregation does) and is
 * left out when it lacks any group field; `distinct` counts distinct values of `distinctField`.
 */
export function aggregate(connection: Connection, fields: FieldTypes, request: AggregateRequest): AggregateRow[] {
  checkRange(request.range);
  checkInteger('windowMs', request.windowMs, 1, Number.MAX_SAFE_INTEGER);
  const groups = request.groupBy.map((name, i) => keyed(fields.resolve(name), `g${i}`, 'groups'));
  const distinct = request.distinctField === undefined ? undefined : keyed(fields.resolve(request.distinctField), 'd', 'distinct counts');
  const window = BigInt(request.windowMs);
  const columns = [...groups.map((group, i) => `${group.key} AS g${i}`), ...(distinct ? [`${distinct.key} AS d`] : [])];
  const inner = concat(
    sql(`SELECT e.seq AS seq, e.ts - ((e.ts % ?) + ?) % ? AS w${columns.map((column) => `, ${column}`).join('')} FROM events AS e`, window, window, window),
    ...groups.flatMap((group) => [', ', group.from]),
    ...(distinct ? [' LEFT JOIN ', distinct.from, ` ON ${distinct.where}`] : []),
    sql(' WHERE e.ts >= ? AND e.ts < ?', request.range.from, request.range.to),
    ...groups.map((group) => ` AND ${group.where}`),
    ' AND ',
    compileQuery(request.query, fields),
  );
  const groupColumns = groups.map((_, i) => `g${i}`);
  const keep = groups.map((group, i) => group.keep(`g${i}`));
  const rows = connection.all(
    concat(
      `SELECT ${[...groupColumns, 'w'].join(', ')}, count(DISTINCT seq) AS n`,
      distinct ? `, count(DISTINCT CASE WHEN ${distinct.keep('d')} THEN d END) AS dn` : '',
      ' FROM (',
      inner,
      ')',
      keep.length > 0 ? ` WHERE ${keep.join(' AND ')}` : '',
      ` GROUP BY ${[...groupColumns, 'w'].join(', ')} ORDER BY ${[...groupColumns, 'w'].join(', ')}`,
    ),
  );
  return rows.map((row) => {
    const group: AggregateRow['group'] = {};
    groups.forEach((g, i) => {
      group[g.field.name] = contractValue(g.field.type, row[`g${i}`] ?? null);
    });
    return {
      group,
      windowStart: Number(row['w']),
      count: Number(row['n']),
      ...(distinct ? { distinct: Number(row['dn']) } : {}),
    };
  });
}
