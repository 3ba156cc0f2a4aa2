/**
 * The full-text index: one FTS5 table over the catalogue's text fields, contentless and keyed by
 * the event's rowid, so each text is stored once (in the document) and indexed once.
 *
 * FTS5 indexes the tokens of store/text.ts (Elasticsearch's standard analyzer), joined by spaces:
 * no FTS5 tokenizer follows those rules (`10.0.1.2`, `don't`, `error:timeout` are one token each),
 * so the table's own tokenizer treats every character but white space as part of a token and only
 * splits where `tokenize` put a space.
 */
import type { DatabaseSync } from 'node:sqlite';
import { eventFields } from '../../core/event/fields.ts';
import { getField, type JsonObject, type JsonValue } from '../../core/event/types.ts';
import { tokenize } from '../text.ts';

/** Text fields in catalogue order; each is one FTS column (`error.message` -> `error_message`). */
export const TEXT_FIELDS: readonly string[] = Object.entries(eventFields)
  .filter(([, definition]) => definition.type === 'text')
  .map(([name]) => name);

const COLUMNS = new Map(TEXT_FIELDS.map((name) => [name, name.replaceAll('.', '_')]));
for (const column of COLUMNS.values()) {
  if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`text field column '${column}' is not a plain SQL identifier`);
}

/**
 * Written between the elements of an array of texts: a token of its own that no query token can
 * equal, since store/text.ts never makes one of it. It keeps a phrase from
 * matching across two elements, as Elasticsearch's position gap does; inside texts it becomes a space.
 */
const GAP = '\u0001';

export const CREATE_TEXT_INDEX = `CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(
  ${[...COLUMNS.values()].join(', ')},
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0 categories ''L* M* N* P* S* Co Cc Cf Cn Cs'''
)`;

export const INSERT_TEXT = `INSERT INTO events_fts (rowid, ${[...COLUMNS.values()].join(', ')}) VALUES (?${', ?'.repeat(COLUMNS.size)})`;

/** The FTS column of a text field; undefined for any other field. */
export function textColumn(field: string): string | undefined {
  return COLUMNS.get(field);
}

/** A text field's value as the event holds it: a string, the strings of an array, or nothing. */
export type RawText = string | string[] | null;

/**
 * An event's text values, one per text field, untokenized (the writer thread tokenizes them, so
 * the thread that validates does not), or undefined when the event has no text at all.
 */
export function rawTexts(event: JsonObject): RawText[] | undefined {
  let any = false;
  const values = TEXT_FIELDS.map((field): RawText => {
    const text = rawText(getField(event, field));
    if (text !== null) any = true;
    return text;
  });
  return any ? values : undefined;
}

/** What a text field's value gives the index: the string, the strings of an array, or null. */
export function rawText(value: JsonValue | undefined): RawText {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return null;
  const parts = value.filter((item): item is string => typeof item === 'string');
  return parts.length > 0 ? parts : null;
}

/** The FTS column values for raw texts: tokens joined by spaces, array elements kept apart by a GAP. */
export function indexTexts(raw: readonly RawText[]): (string | null)[] {
  return raw.map((text) => (text === null ? null : typeof text === 'string' ? clean(text) : text.map(clean).join(` ${GAP} `)));
}

/** The values to index for an event, one per text field, or undefined when it has no text at all. */
export function textValues(event: JsonObject): (string | null)[] | undefined {
  const raw = rawTexts(event);
  return raw && indexTexts(raw);
}

/** The text as its tokens, lowercased, space-separated (a GAP in the text cannot survive tokenizing). */
function clean(text: string): string {
  return tokenize(text).join(' ');
}

/** FTS5 query text for tokens from store/text.ts (never a `"` in them, so quoting is safe). */
export const ftsQuery = {
  allTokens: (column: string, tokens: readonly string[]): string => `${column} : (${tokens.map((token) => `"${token}"`).join(' AND ')})`,
  phrase: (column: string, tokens: readonly string[]): string => `${column} : "${tokens.join(' ')}"`,
  prefix: (column: string, token: string): string => `${column} : "${token}"*`,
};

/** Re-indexes every stored event: for a store created when the catalogue had other text fields. */
export function rebuildTextIndex(db: DatabaseSync): number {
  db.exec('DROP TABLE IF EXISTS events_fts');
  db.exec(CREATE_TEXT_INDEX);
  const insert = db.prepare(INSERT_TEXT);
  let indexed = 0;
  for (const row of db.prepare('SELECT seq, doc FROM events').iterate()) {
    const values = textValues(JSON.parse(String(row['doc'])) as JsonObject);
    if (values) {
      insert.run(Number(row['seq']), ...values);
      indexed++;
    }
  }
  return indexed;
}
