/** Searching and counting over time: `search` (keyset pages on (ts, id)) and `histogram`. */
import { FaultlineError } from '../../core/errors.ts';
import type { FaultlineEvent } from '../../core/event/types.ts';
import type { QueryNode } from '../query.ts';
import type { HistogramRequest, HistogramResult, SearchRequest, SearchResult, Total } from '../contract.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { checkInteger, checkRange } from './checks.ts';
import { compileQuery } from './compile.ts';
import type { Connection } from './connection.ts';
import type { FieldTypes } from './fields.ts';
import { textIndexQueries, usesTextIndex } from './predicates.ts';
import { concat, sql, type Sql } from './sql.ts';

export const MAX_PAGE_SIZE = 10_000;
/** Up to this many events matching a word, reading the matches beats walking the time index. */
const FEW_TEXT_MATCHES = 20_000;
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
export function searchEvents(connection: Connection, fields: FieldTypes, request: SearchRequest): SearchResult {
  checkInteger('size', request.size, 1, MAX_PAGE_SIZE);
  const sort = request.sort ?? 'desc';
  if (sort !== 'asc' && sort !== 'desc') throw new FaultlineError('FL_ERR_QUERY_INVALID', `sort must be 'asc' or 'desc', got ${JSON.stringify(sort)}`);
  const trackTotal = request.trackTotal ?? DEFAULT_TRACK_TOTAL;
  if (trackTotal !== false) checkInteger('trackTotal', trackTotal, 0, Number.MAX_SAFE_INTEGER);
  const where = matching(request, fields);
  const cursor = request.cursor ? decodeCursor(request.cursor, sort) : null;
  const direction = sort === 'desc' ? 'DESC' : 'ASC';
  // Walk the (ts, id) index and stop after `size` matches. Left to itself, SQLite drives a text
  // query from the FTS matches and sorts all of them, which costs as much as the word is common,
  // on every page; the walk costs at most the range. But when a word is rare the walk reads the
  // whole range for a handful of matches: then SQLite's own plan is the cheap one. Then read only
  // the page's documents.
  const walk = usesTextIndex(where) && !textIndexQueries(where).some((query) => fewTextMatches(connection, query));
  const rows = connection.all(
    concat(
      'SELECT d.doc AS doc, k.ts AS ts, k.id AS id FROM (SELECT e.seq AS seq, e.ts AS ts, e.id AS id FROM events AS e ',
      walk ? 'INDEXED BY events_ts_id ' : '',
      'WHERE ',
      where,
      cursor ? sql(` AND (e.ts, e.id) ${sort === 'desc' ? '<' : '>'} (?, ?)`, cursor.ts, cursor.id) : '',
      sql(` ORDER BY e.ts ${direction}, e.id ${direction} LIMIT ?) AS k JOIN events AS d ON d.seq = k.seq ORDER BY k.ts ${direction}, k.id ${direction}`, request.size),
    ),
  );
  const events = rows.map((row) => JSON.parse(String(row['doc'])) as FaultlineEvent);
  const last = rows.at(-1);
  const next = last && rows.length === request.size ? encodeCursor({ sort, ts: Number(last['ts']), id: String(last['id']) }) : null;

  let total: Total;
  if (trackTotal === false) {
    total = { value: events.length, relation: 'gte' };
  } else {
    // A first page shorter than asked for already holds every match.
    const exact = !cursor && events.length < request.size ? events.length : countUpTo(connection, request, fields, where, trackTotal + 1);
    total = exact > trackTotal ? { value: trackTotal, relation: 'gte' } : { value: exact, relation: 'eq' };
  }
  return { total, events, cursor: next };
}

/** Whether the FTS query matches at most FEW_TEXT_MATCHES events (it stops counting there). */
function fewTextMatches(connection: Connection, query: string): boolean {
  const row = connection.get(sql('SELECT count(*) AS n FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ?)', query, FEW_TEXT_MATCHES + 1));
  return Number(row?.['n'] ?? 0) <= FEW_TEXT_MATCHES;
}

/**
 * Counts matches, stopping at `limit`. When the query requires a text match, the count reads that
 * word's matches in order and stops at the limit; otherwise SQLite would first collect every
 * match of the word, however common, before counting any.
 */
function countUpTo(connection: Connection, request: SearchRequest, fields: FieldTypes, where: Sql, limit: number): number {
  const split = requiredTextMatch(request.query, fields);
  const query = split
    ? concat(
        sql('SELECT count(*) AS n FROM (SELECT 1 FROM events_fts CROSS JOIN events AS e ON e.seq = events_fts.rowid WHERE events_fts MATCH ? AND ', split.text),
        matching({ query: split.rest, range: request.range }, fields),
        sql(' LIMIT ?)', limit),
      )
    : concat('SELECT count(*) AS n FROM (SELECT 1 FROM events AS e WHERE ', where, sql(' LIMIT ?)', limit));
  return Number(connection.get(query)?.['n'] ?? 0);
}

/** A clause every match must meet that is one text-index query, and the query without it. */
function requiredTextMatch(query: QueryNode, fields: FieldTypes): { text: string; rest: QueryNode } | undefined {
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
