/**
 * Value columns: the fields people filter on most, kept beside the document in columns of their
 * own and in the (ts, id) index, so that a filter over a time range reads the index alone instead
 * of parsing each event's JSON. The index grows at its end like the time it is sorted by, so the
 * columns cost a write almost nothing, where an index per field would cost as much again.
 *
 * A column holds the field's value when the event holds exactly one value of the field's type
 * (and, for keywords, one short enough to be indexed: KEYWORD_IGNORE_ABOVE), NULL when it holds
 * none, and an empty BLOB, the marker, otherwise (an array, an over-long keyword). Conditions read
 * the column and fall back to the document for marked rows, which only fields that ever had one
 * need (the `mixed_value_fields` meta entry, kept in the same transaction as the rows).
 */
import type { DatabaseSync } from 'node:sqlite';
import { knownField, type FieldType } from '../../core/event/fields.ts';
import { getField, type JsonObject, type JsonValue } from '../../core/event/types.ts';
import { isIndexedKeyword } from './values.ts';

/** The fields with a column, in column order. */
export const VALUE_FIELDS: readonly string[] = [
  'host.name',
  'service.name',
  'log.level',
  'event.dataset',
  'process.name',
  'http.response.status_code',
];

type ColumnType = Extract<FieldType, 'keyword' | 'long' | 'double'>;

function columnType(field: string): ColumnType {
  const type = knownField(field)?.type;
  if (type !== 'keyword' && type !== 'long' && type !== 'double') throw new Error(`value column '${field}' must be a keyword or numeric catalogue field, not ${type}`);
  return type;
}

const TYPES = new Map(VALUE_FIELDS.map((field) => [field, columnType(field)]));
const COLUMNS = new Map(VALUE_FIELDS.map((field) => [field, `v_${field.replaceAll('.', '_')}`]));
for (const column of COLUMNS.values()) {
  if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`value column '${column}' is not a plain SQL identifier`);
}

/** Stands for "more than one value, or one the column cannot hold: read the document". */
export const MARKER = new Uint8Array(0);

/** A marker, also after a structured clone to the writer thread. */
export function isMarker(value: ColumnValue | undefined): value is Uint8Array {
  return value instanceof Uint8Array;
}

export type ColumnValue = string | number | Uint8Array | null;

/** The column of a field, if it has one. */
export function valueColumn(field: string): string | undefined {
  return COLUMNS.get(field);
}

/** What the columns hold for an event (validated, so keyword values are strings and numbers numbers), in VALUE_FIELDS order. */
export function columnValues(event: JsonObject, out: ColumnValue[]): void {
  for (const [field, type] of TYPES) out.push(columnValue(getField(event, field), type));
}

const TYPE_LIST = [...TYPES.values()];

/** What the column of VALUE_FIELDS[index] holds for a value the event holds (validated, as above). */
export function columnValueAt(index: number, value: JsonValue | undefined): ColumnValue {
  return columnValue(value, TYPE_LIST[index] as ColumnType);
}

function columnValue(value: JsonValue | undefined, type: ColumnType): ColumnValue {
  if (value === undefined || value === null) return null;
  if (type === 'keyword' && typeof value === 'string' && isIndexedKeyword(value)) return value;
  if (type !== 'keyword' && typeof value === 'number') return value;
  return Array.isArray(value) && value.every((item) => item === null) ? null : MARKER;
}

/** The SQL reading a field's column as its type's reader does: NULL for the marker and for anything else. */
export function columnReader(column: string, type: FieldType): string {
  return type === 'keyword' ? `(CASE typeof(e.${column}) WHEN 'text' THEN e.${column} END)` : `(CASE WHEN typeof(e.${column}) IN ('integer', 'real') THEN e.${column} END)`;
}

/** The condition that picks the rows a column cannot answer for. */
export function markedRow(column: string): string {
  return `typeof(e.${column}) = 'blob'`;
}

const INDEX = `CREATE INDEX IF NOT EXISTS events_ts_id ON events (ts, id${VALUE_FIELDS.map((field) => `, ${COLUMNS.get(field)}`).join('')})`;

export const INSERT_EVENT = `INSERT INTO events (id, ts, doc${VALUE_FIELDS.map((field) => `, ${COLUMNS.get(field)}`).join('')}) VALUES (?, ?, ?${', ?'.repeat(VALUE_FIELDS.length)}) ON CONFLICT (id) DO NOTHING`;

/**
 * Makes the file's columns and index those of VALUE_FIELDS: on a new file at once; on one written
 * with other columns (or none), by adding the missing ones, filling them from the documents and
 * rebuilding the index. Runs inside the opening transaction; answers how many events it filled.
 */
export function setUpValueColumns(db: DatabaseSync): number {
  const wanted = JSON.stringify(VALUE_FIELDS);
  const current = db.prepare("SELECT value FROM meta WHERE key = 'value_fields'").get()?.['value'];
  if (current === wanted) return 0;
  const existing = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').all('events').map((row) => String(row['name'])));
  db.exec('DROP INDEX IF EXISTS events_ts_id');
  for (const name of existing) {
    if (name.startsWith('v_') && ![...COLUMNS.values()].includes(name)) db.exec(`ALTER TABLE events DROP COLUMN ${name}`);
  }
  for (const column of COLUMNS.values()) if (!existing.has(column)) db.exec(`ALTER TABLE events ADD COLUMN ${column}`);
  const filled = fillColumns(db);
  db.exec(INDEX);
  db.prepare("INSERT INTO meta (key, value) VALUES ('value_fields', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(wanted);
  db.prepare("INSERT INTO meta (key, value) VALUES ('mixed_value_fields', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    JSON.stringify(filled.mixed),
  );
  return filled.events;
}

function fillColumns(db: DatabaseSync): { events: number; mixed: string[] } {
  const update = db.prepare(`UPDATE events SET ${VALUE_FIELDS.map((field) => `${COLUMNS.get(field)} = ?`).join(', ')} WHERE seq = ?`);
  const mixed = new Set<string>();
  let events = 0;
  const values: ColumnValue[] = [];
  for (const row of db.prepare('SELECT seq, doc FROM events').iterate()) {
    values.length = 0;
    columnValues(JSON.parse(String(row['doc'])) as JsonObject, values);
    values.forEach((value, i) => isMarker(value) && mixed.add(VALUE_FIELDS[i] as string));
    update.run(...values, Number(row['seq']));
    events++;
  }
  return { events, mixed: [...mixed] };
}

/** Fields whose column has marked rows, as the file records them. */
export function mixedValueFields(db: DatabaseSync): string[] {
  const value = db.prepare("SELECT value FROM meta WHERE key = 'mixed_value_fields'").get()?.['value'];
  return value === undefined ? [] : (JSON.parse(String(value)) as string[]);
}

/** Records, in the writer's open transaction, that these fields' columns now have marked rows. */
export function recordMixedValueFields(db: DatabaseSync, fields: readonly string[]): void {
  const known = new Set(mixedValueFields(db));
  if (fields.every((field) => known.has(field))) return;
  for (const field of fields) known.add(field);
  db.prepare("INSERT INTO meta (key, value) VALUES ('mixed_value_fields', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    JSON.stringify([...known].sort()),
  );
}
