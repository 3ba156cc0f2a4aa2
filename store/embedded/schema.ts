/**
 * The embedded store's SQLite file: pragmas, tables and the upgrade path.
 *
 * events     one row per event: rowid `seq`, `id` (event.id, unique), `ts` (@timestamp in epoch
 *            ms, with `id` the sort and cursor key), `doc` (the validated event as JSON text, which
 *            queries read with json_each), and the value columns `v_*` (value-columns.ts), which
 *            the index on (ts, id, v_*) carries too
 * events_fts contentless FTS5 over the text fields, rowid = events.seq (text-index.ts)
 * fields     name -> type first seen, and how many stored events hold a value in it
 * documents  (kind, id) -> JSON: incidents, alerts, rule state, checkpoints, dead letters
 * meta       facts about the file itself (which text fields the FTS table covers, which fields
 *            have value columns and which of those have marked rows)
 */
import type { DatabaseSync } from 'node:sqlite';
import { FaultlineError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { CREATE_TEXT_INDEX, rebuildTextIndex, TEXT_FIELDS } from './text-index.ts';
import { setUpValueColumns, VALUE_FIELDS } from './value-columns.ts';

// 2: value columns (value-columns.ts); a version 1 file gains them when opened.
const SCHEMA_VERSION = 2;
export const BUSY_TIMEOUT_MS = 5000;

// WAL lets readers run beside the writer; NORMAL syncs at checkpoints only, which WAL keeps safe
// against corruption (a power cut may lose the last commits, never the file). A larger
// autocheckpoint spaces out those syncs, which dominate write time on slow disks.
const PRAGMAS = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = NORMAL;
  PRAGMA temp_store = MEMORY;
  PRAGMA wal_autocheckpoint = 8192;
  PRAGMA journal_size_limit = 67108864;
`;

/**
 * Page cache per connection, in KiB. The writer keeps the hot index pages of a growing file; a
 * reader's cache is dropped whenever the writer commits, so a large one buys little during ingest.
 * No memory map (`mmap_size`): it would make some counts about 20 ms faster at 1M events, but the
 * pages it touches count in the server's resident memory (a full export would show the whole
 * file, 900 MB at 1M events), and a disk error on a mapped page kills the process instead of
 * failing one search.
 */
const CACHE_KIB = { reader: 16_384, writer: 32_768 } as const;

const TABLES = `
  CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    ts INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS fields (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    events INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS documents (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`;

/** Per-connection settings (journal_mode is kept by the file itself once set). */
export function applyPragmas(db: DatabaseSync, role: keyof typeof CACHE_KIB): void {
  db.exec(PRAGMAS);
  db.exec(`PRAGMA cache_size = -${CACHE_KIB[role]}`);
}

/** Creates or upgrades the schema; `role` is the opening connection's (in-memory stores write on it). */
export function setUpDatabase(db: DatabaseSync, logger: Logger, role: keyof typeof CACHE_KIB): void {
  applyPragmas(db, role);
  const version = Number(db.prepare('PRAGMA user_version').get()?.['user_version'] ?? 0);
  if (version > SCHEMA_VERSION) {
    throw new FaultlineError(
      'FL_ERR_STORE_FAILED',
      `the embedded store file was written by a newer Faultline (schema ${version}; this version reads up to ${SCHEMA_VERSION})`,
      { schema: version },
    );
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(TABLES);
    db.exec(CREATE_TEXT_INDEX);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    const textFields = JSON.stringify(TEXT_FIELDS);
    const indexed = db.prepare("SELECT value FROM meta WHERE key = 'text_fields'").get()?.['value'];
    if (indexed !== undefined && indexed !== textFields) {
      const count = rebuildTextIndex(db);
      logger.info('embedded store: text fields changed, full-text index rebuilt', { events: count, fields: TEXT_FIELDS.join(',') });
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('text_fields', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(textFields);
    const filled = setUpValueColumns(db);
    if (filled > 0) logger.info('embedded store: value columns filled from the stored events', { events: filled, fields: VALUE_FIELDS.join(',') });
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
