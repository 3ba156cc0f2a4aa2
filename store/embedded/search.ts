/** Searching and counting over time: `search` (keyset pages on (ts, id)) and `histogram`. */
import { FaultlineError } from '../../core/errors.ts';
import type { QueryNode } from '../query.ts';
import type { HistogramRequest, HistogramResult, SearchRequest, SearchResult, Total } from '../contract.ts';
import { decodeCursor, encodeCursor, type Cursor } from '../cursor.ts';
import { checkInteger, checkRange } from './checks.ts';
import { compileQuery } from './compile.ts';
import type { Connection, Row } from './connection.ts';
import type { FieldTypes } from './fields.ts';
import { textIndexQueries, usesTextIndex } from './predicates.ts';
import { concat, sql, type Sql } from './sql.ts';

export const MAX_PAGE_SIZE = 10_000;
/** Up to this many events matching a word, reading the matches beats walking the time index. */
const FEW_TEXT_MATCHES = 20_000;
/** Matches of a word read in the order of writing, per event of a first page, before the time index walk takes over (firstPageInTextOrder). */
const TEXT_ORDER_READS_PER_EVENT = 20;
/** Up to this many stored events outside the range, a lone word is counted from the text index alone (countFromTextIndex). */
const FEW_OUTSIDE_RANGE = 10_000;
const DEFAULT_TRACK_TOTAL = 10_000;
const MAX_BUCKETS = 100_000;

/** `events AS e` rows in the range that match the query. */
function matching(request: { query: SearchRequest['query']; range: SearchRequest['range'] }, fields: FieldTypes): Sql {
  checkRange(request.range);
  return concat(sql('e.ts >= ? AND e.ts < ? AND ', request.range.from, request.range.to), compileQuery(request.query, fields));
}

/**
 * One page, newest first unless `sort: 'asc'`, resuming strictly after the cursor's key. The
 * total counts every match in the range (the cursor does not narrow it): exactly up to
 * `trackTotal`, beyond that as a lower bound. With `trackTotal: false` nothing is counted and the
 * total is this page's length as a lower bound.
 */
export function searchEvents(connection: Connection, fields: FieldTypes, request: SearchRequest): SearchResult;
export function searchEvents<T>(connection: Connection, fields: FieldTypes, request: SearchRequest, decode: (doc: string) => T): SearchResult<T>;
export function searchEvents(connection: Connection, fields: FieldTypes, request: SearchRequest, decode: (doc: string) => unknown = JSON.parse): SearchResult<unknown> {
  checkInteger('size', request.size, 1, MAX_PAGE_SIZE);
  const sort = request.sort ?? 'desc';
  if (sort !== 'asc' && sort !== 'desc') throw new FaultlineError('FL_ERR_QUERY_INVALID', `sort must be 'asc' or 'desc', got ${JSON.stringify(sort)}`);
  const trackTotal = request.trackTotal ?? DEFAULT_TRACK_TOTAL;
  if (trackTotal !== false) checkInteger('trackTotal', trackTotal, 0, Number.MAX_SAFE_INTEGER);
  const cursor = request.cursor ? decodeCursor(request.cursor, sort) : null;
  const direction = sort === 'desc' ? 'DESC' : 'ASC';
  const where = walking(connection, request, fields, direction);
  // The first page of a query that requires a word comes from the word's latest matches, where
  // they hold it. Otherwise walk the (ts, id) index and stop after `size` matches. Left to itself,
  // SQLite drives a text query from the FTS matches and sorts all of them, which costs as much as
  // the word is common, on every page; the walk costs at most the range. But when a word is rare
  // the walk reads the whole range for a handful of matches: then SQLite's own plan is the cheap
  // one. Then read only the page's documents.
  const split = requiredTextMatch(request.query, fields);
  let rows = !cursor && split ? firstPageInTextOrder(connection, fields, request, split, sort) : undefined;
  const walk = !rows && usesTextIndex(where) && !textIndexQueries(where).some((query) => fewTextMatches(connection, query));
  rows ??= connection.all(
    concat(
      'SELECT d.doc AS doc, k.ts AS ts, k.id AS id FROM (SELECT e.seq AS seq, e.ts AS ts, e.id AS id FROM events AS e ',
      walk ? 'INDEXED BY events_ts_id ' : '',
      'WHERE ',
      cursor ? matching({ query: request.query, range: afterCursor(request.range, cursor) }, fields) : where,
      cursor ? sql(` AND (e.ts, e.id) ${sort === 'desc' ? '<' : '>'} (?, ?)`, cursor.ts, cursor.id) : '',
      sql(` ORDER BY e.ts ${direction}, e.id ${direction} LIMIT ?) AS k JOIN events AS d ON d.seq = k.seq ORDER BY k.ts ${direction}, k.id ${direction}`, request.size),
    ),
  );
  const events = rows.map((row) => decode(String(row['doc'])));
  const last = rows.at(-1);
  const next = last && rows.length === request.size ? encodeCursor({ sort, ts: Number(last['ts']), id: String(last['id']) }) : null;

  let total: Total;
  if (trackTotal === false) {
    total = { value: events.length, relation: 'gte' };
  } else {
    // A first page shorter than asked for already holds every match.
    const exact = !cursor && events.length < request.size ? events.length : countUpTo(connection, request, fields, where, split, direction, trackTotal + 1);
    total = exact > trackTotal ? { value: trackTotal, relation: 'gte' } : { value: exact, relation: 'eq' };
  }
  return { total, events, cursor: next };
}

/**
 * `matching` for a walk of the time index in `direction` (the page's, and the count's without a
 * word), which SQLite starts by seeking one bound of the range and ends by comparing every event it
 * reads with the other: that comparison is left out where every stored event meets it (newest
 * first, a range that begins before the oldest event), saving a comparison per event on a long
 * walk. Queries of the text index keep both bounds, for SQLite to choose their plan by. Sound only
 * inside one read transaction, where the stored events stay the ones looked at.
 */
function walking(connection: Connection, request: SearchRequest, fields: FieldTypes, direction: 'ASC' | 'DESC'): Sql {
  checkRange(request.range);
  const { from, to } = request.range;
  const condition = compileQuery(request.query, fields);
  const both = concat(sql('e.ts >= ? AND e.ts < ? AND ', from, to), condition);
  if (usesTextIndex(condition)) return both;
  const stored = connection.get(sql('SELECT (SELECT min(ts) FROM events) AS first, (SELECT max(ts) FROM events) AS last'));
  const [first, last] = [stored?.['first'], stored?.['last']];
  if (direction === 'DESC' && typeof first === 'number' && from <= first) return concat(sql('e.ts < ? AND ', to), condition);
  if (direction === 'ASC' && typeof last === 'number' && to > last) return concat(sql('e.ts >= ? AND ', from), condition);
  return both;
}

/**
 * The part of the range a page after the cursor can be in. SQLite seeks the (ts, id) index by the
 * ts bounds only, not by the row-value comparison with the cursor: without this each page would
 * read every index entry of the pages before it, and paging through n events would cost n².
 */
function afterCursor(range: SearchRequest['range'], cursor: Cursor): SearchRequest['range'] {
  return cursor.sort === 'asc' ? { from: Math.max(range.from, cursor.ts), to: range.to } : { from: range.from, to: Math.min(range.to, cursor.ts + 1) };
}

/** Whether the FTS query matches at most FEW_TEXT_MATCHES events. */
function fewTextMatches(connection: Connection, query: string): boolean {
  return textMatchesUpTo(connection, query, FEW_TEXT_MATCHES + 1) <= FEW_TEXT_MATCHES;
}

/** How many events the FTS query matches, counting up to `limit` only (from the text index alone). */
function textMatchesUpTo(connection: Connection, query: string, limit: number): number {
  return Number(connection.get(sql('SELECT count(*) AS n FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ?)', query, limit))?.['n'] ?? 0);
}

/**
 * Counts matches, stopping at `limit`. When the query requires a text match, the count reads that
 * word's matches in order and stops at the limit; otherwise SQLite would first collect every
 * match of the word, however common, before counting any. Without text, the count walks the time
 * index from the same end as the page (newest first by default): it starts on the pages the page
 * just read, among the latest written, which are the likeliest still in memory.
 */
function countUpTo(
  connection: Connection,
  request: SearchRequest,
  fields: FieldTypes,
  where: Sql,
  split: TextSplit | undefined,
  direction: 'ASC' | 'DESC',
  limit: number,
): number {
  const fromIndex = split && isAll(split.rest) ? countFromTextIndex(connection, split.text, request.range, limit) : undefined;
  if (fromIndex !== undefined) return fromIndex;
  const query = split
    ? concat(
        sql('SELECT count(*) AS n FROM (SELECT 1 FROM events_fts CROSS JOIN events AS e ON e.seq = events_fts.rowid WHERE events_fts MATCH ? AND ', split.text),
        matching({ query: split.rest, range: request.range }, fields),
        sql(' LIMIT ?)', limit),
      )
    : concat(
        'SELECT count(*) AS n FROM (SELECT 1 FROM events AS e WHERE ',
        where,
        // With a text query SQLite may drive from its matches, and an order would make it sort them all.
        usesTextIndex(where) ? '' : ` ORDER BY e.ts ${direction}, e.id ${direction}`,
        sql(' LIMIT ?)', limit),
      );
  return Number(connection.get(query)?.['n'] ?? 0);
}

/**
 * Counts a word's matches up to `limit` from the text index alone, without reading each match's
 * time, when at most a few stored events lie outside the range (often none: a range that holds the
 * whole store): of n matches at most `outside` are outside it. Undefined when that does not settle
 * the count (n short of `limit + outside`, with some events outside), or too many are outside.
 */
function countFromTextIndex(connection: Connection, text: string, range: SearchRequest['range'], limit: number): number | undefined {
  const outside = Number(
    connection.get(
      sql(
        'SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE ts < ? LIMIT ?)) + (SELECT count(*) FROM (SELECT 1 FROM events WHERE ts >= ? LIMIT ?)) AS n',
        range.from,
        FEW_OUTSIDE_RANGE,
        range.to,
        FEW_OUTSIDE_RANGE,
      ),
    )?.['n'] ?? 0,
  );
  if (outside >= FEW_OUTSIDE_RANGE) return undefined;
  const matches = textMatchesUpTo(connection, text, limit + outside);
  if (outside === 0) return matches;
  return matches === limit + outside ? limit : undefined;
}

/**
 * The first page of a query that requires a word (one text-index query), read from the word's
 * matches in the order they were written, newest written first for `desc`: events arrive roughly
 * in time order, so the page is among the last matches written, and reading them costs about the
 * page, however common the word (walking the time index instead tests every event against all of
 * the word's matches). The time index then proves the page complete: every event at or after the
 * page's last key was written at or after `bound`; when the matches read reach that far nothing
 * was missed, else the page is read again from every match written since `bound` (the cost of
 * events written out of order). Undefined when the first matches read hold too few of the page
 * (the word is common outside the range, or the rest of the query is selective): then the time
 * index walk is the better plan.
 */
function firstPageInTextOrder(connection: Connection, fields: FieldTypes, request: SearchRequest, split: TextSplit, sort: 'asc' | 'desc'): Row[] | undefined {
  const [direction, reach, beyond] = sort === 'desc' ? (['DESC', 'min', '>='] as const) : (['ASC', 'max', '<='] as const);
  const rest = matching({ query: split.rest, range: request.range }, fields);
  const reads = request.size * TEXT_ORDER_READS_PER_EVENT;
  const page = connection.all(
    concat(
      sql(
        'SELECT seq, ts, id, doc FROM (SELECT e.seq AS seq, e.ts AS ts, e.id AS id, e.doc AS doc ' +
          `FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ? ORDER BY rowid ${direction} LIMIT ?) AS m CROSS JOIN events AS e ON e.seq = m.rowid WHERE `,
        split.text,
        reads,
      ),
      rest,
      sql(` ORDER BY m.rowid ${direction} LIMIT ?) ORDER BY ts ${direction}, id ${direction}`, request.size),
    ),
  );
  const last = page.at(-1);
  if (!last || page.length < request.size) {
    // Every match, if the reads reached the last of them.
    return textMatchesUpTo(connection, split.text, reads) < reads ? page : undefined;
  }
  const edge = { ts: Number(last['ts']), id: String(last['id']) };
  const seqs = page.map((row) => Number(row['seq']));
  const reached = sort === 'desc' ? Math.min(...seqs) : Math.max(...seqs);
  // The ts bounds are the edge's too: SQLite seeks the index by them, not by the row-value comparison.
  const span = sort === 'desc' ? { from: Math.max(request.range.from, edge.ts), to: request.range.to } : { from: request.range.from, to: Math.min(request.range.to, edge.ts + 1) };
  const bound = Number(
    connection.get(
      sql(
        `SELECT ${reach}(e.seq) AS seq FROM events AS e INDEXED BY events_ts_id WHERE e.ts >= ? AND e.ts < ? AND (e.ts, e.id) ${beyond} (?, ?)`,
        span.from,
        span.to,
        edge.ts,
        edge.id,
      ),
    )?.['seq'],
  );
  if (sort === 'desc' ? bound >= reached : bound <= reached) return page;
  // The text index seeks to `bound`, given as an integer: FTS5 ignores a REAL rowid limit (and a
  // JavaScript number arrives as a REAL), leaving SQLite to filter every match itself.
  return connection.all(
    concat(
      sql(
        'SELECT e.seq AS seq, e.ts AS ts, e.id AS id, e.doc AS doc FROM events_fts CROSS JOIN events AS e ON e.seq = events_fts.rowid ' +
          `WHERE events_fts MATCH ? AND events_fts.rowid ${beyond} ? AND (e.ts, e.id) ${beyond} (?, ?) AND `,
        split.text,
        BigInt(bound),
        edge.ts,
        edge.id,
      ),
      rest,
      sql(` ORDER BY e.ts ${direction}, e.id ${direction} LIMIT ?`, request.size),
    ),
  );
}

/** A query split into a text-index query every match must meet, and the rest of it. */
interface TextSplit {
  text: string;
  rest: QueryNode;
}

function isAll(query: QueryNode): boolean {
  return query.kind === 'all' || (query.kind === 'and' && query.clauses.every(isAll));
}

/** A clause every match must meet that is one text-index query, and the query without it. */
function requiredTextMatch(query: QueryNode, fields: FieldTypes): TextSplit | undefined {
  const clauses = query.kind === 'and' ? query.clauses : [query];
  for (const [index, clause] of clauses.entries()) {
    if (clause.kind !== 'term' && clause.kind !== 'phrase') continue;
    const compiled = compileQuery(clause, fields);
    const texts = textIndexQueries(compiled);
    if (texts.length !== 1 || compiled.params.length !== 1) continue;
    return { text: texts[0] as string, rest: { kind: 'and', clauses: clauses.filter((_, i) => i !== index) } };
  }
  return undefined;
}

/** Counts per bucket of `intervalMs`, aligned to the epoch, every bucket from the one holding `from` to the one before `to`. */
export function histogram(connection: Connection, fields: FieldTypes, request: HistogramRequest): HistogramResult {
  checkInteger('intervalMs', request.intervalMs, 1, Number.MAX_SAFE_INTEGER);
  const where = matching(request, fields);
  const interval = request.intervalMs;
  const first = Math.floor(request.range.from / interval) * interval;
  const count = Math.max(0, Math.ceil((request.range.to - first) / interval));
  if (count > MAX_BUCKETS) {
    throw new FaultlineError('FL_ERR_QUERY_INVALID', `the histogram would have ${count} buckets, more than ${MAX_BUCKETS}; use a wider interval`, {
      intervalMs: interval,
    });
  }
  const buckets = Array.from({ length: count }, (_, i) => ({ ts: first + i * interval, count: 0 }));
  if (count === 0) return { intervalMs: interval, buckets };
  // Integer arithmetic: every ts here is >= first, so the division floors.
  const rows = connection.all(
    concat(sql('SELECT (e.ts - ?) / ? AS bucket, count(*) AS n FROM events AS e WHERE ', BigInt(first), BigInt(interval)), where, ' GROUP BY bucket'),
  );
  for (const row of rows) {
    const bucket = buckets[Number(row['bucket'])];
    if (bucket) bucket.count = Number(row['n']);
  }
  return { intervalMs: interval, buckets };
}
