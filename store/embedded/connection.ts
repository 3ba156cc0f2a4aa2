/**
 * One open SQLite connection: prepared statements cached by their SQL, transactions, and SQLite's
 * errors turned into Faultline's (a query too large to compile is the caller's error, a closed
 * store is unavailable, anything else is a failed store operation).
 */
import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from 'node:sqlite';
import { FaultlineError, isFaultlineError } from '../../core/errors.ts';
import type { Sql } from './sql.ts';

export type Row = Record<string, SQLOutputValue>;

const MAX_CACHED_STATEMENTS = 200;

// SQLite's limits that a big query can hit: the user should shrink the query, the store is fine.
const QUERY_TOO_LARGE = /too many SQL variables|Expression tree is too large|too many terms|parser stack overflow|pattern too complex|too many FROM clause terms/i;

export class Connection {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #open = true;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  get open(): boolean {
    return this.#open;
  }

  /** A prepared statement for fixed SQL, reused across calls (least recently used ones are dropped). */
  statement(text: string): StatementSync {
    this.#ensureOpen();
    let statement = this.#statements.get(text);
    if (statement) {
      this.#statements.delete(text);
    } else {
      statement = this.db.prepare(text);
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
    }
    this.#statements.set(text, statement);
    return statement;
  }

  /**
   * The rows of a query. node:sqlite's own row objects are not used: they are not collected with
   * the young generation, so a long read (an export of 1M events) left about 40 MB of them in the
   * heap until the next full collection. Rows come as arrays and are made into objects here.
   */
  all(query: Sql): Row[] {
    const statement = this.statement(query.text);
    statement.setReturnArrays(true);
    try {
      const names = columnNames(statement);
      return (statement.all(...(query.params as SQLInputValue[])) as unknown as SQLOutputValue[][]).map((values) => rowOf(names, values));
    } finally {
      statement.setReturnArrays(false);
    }
  }

  get(query: Sql): Row | undefined {
    const statement = this.statement(query.text);
    statement.setReturnArrays(true);
    try {
      const values = statement.get(...(query.params as SQLInputValue[])) as unknown as SQLOutputValue[] | undefined;
      return values === undefined ? undefined : rowOf(columnNames(statement), values);
    } finally {
      statement.setReturnArrays(false);
    }
  }

  /** Runs several reads on one snapshot, so that they agree with each other while the writer goes on. */
  read<T>(work: () => T): T {
    this.#ensureOpen();
    if (this.db.isTransaction) return work();
    this.db.exec('BEGIN');
    try {
      return work();
    } finally {
      this.db.exec('COMMIT');
    }
  }

  /** Runs `work` in one write transaction: all of it commits, or none of it. */
  transaction<T>(work: () => T): T {
    this.#ensureOpen();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#statements.clear();
    this.db.exec('PRAGMA optimize');
    this.db.close();
  }

  #ensureOpen(): void {
    if (!this.#open) throw new FaultlineError('FL_ERR_STORE_UNAVAILABLE', 'the embedded store is closed');
  }
}

/** Runs a store operation, answering SQLite's failures as FaultlineErrors. */
export function guarded<T>(operation: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw storeError(operation, error);
  }
}

function storeError(operation: string, error: unknown): FaultlineError {
  if (isFaultlineError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (QUERY_TOO_LARGE.test(message)) {
    return new FaultlineError('FL_ERR_QUERY_INVALID', `the query is too large for the embedded store (${message}); use fewer clauses`, {}, { cause: error });
  }
  return new FaultlineError('FL_ERR_STORE_FAILED', `embedded store: ${operation} failed: ${message}`, { operation }, { cause: error });
}

const statementColumns = new WeakMap<StatementSync, string[]>();

function columnNames(statement: StatementSync): string[] {
  let names = statementColumns.get(statement);
  if (names === undefined) {
    names = statement.columns().map((column) => column.name);
    statementColumns.set(statement, names);
  }
  return names;
}

function rowOf(names: readonly string[], values: readonly SQLOutputValue[]): Row {
  const row: Row = {};
  for (let index = 0; index < names.length; index++) row[names[index] as string] = values[index] as SQLOutputValue;
  return row;
}
