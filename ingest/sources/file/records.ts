/**
 * From what a file reader assembled to raw records: the id from the file's identity and the
 * offset of the first byte, the context ECS expects of file sources (`log.file.path`,
 * `log.offset`, `host.name`, labels), and for NDJSON the parsed object.
 */
import { fileEventId } from '../../../core/event/id.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../../../core/event/types.ts';
import type { RawRecord } from '../../contract.ts';
import type { Line } from './lines.ts';

export type LineFormat = 'lines' | 'ndjson';

export interface RecordContext {
  hostName: string;
  labels: Record<string, string>;
}

export function fileContext(path: string, offset: number, context: RecordContext): JsonObject {
  const out: JsonObject = { log: { file: { path }, offset }, host: { name: context.hostName } };
  if (hasKeys(context.labels)) out['labels'] = { ...context.labels };
  return out;
}

/** Whether an object has an own enumerable key, without listing them (this runs once per line). */
function hasKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

export function lineRecord(key: string, path: string, line: Line, format: LineFormat, context: RecordContext, receivedAt = Date.now()): RawRecord {
  // Most lines have no tag: the array is made only for one that has.
  let tags: string[] | undefined = line.truncated ? ['_truncated'] : undefined;
  let text: string | undefined = line.text;
  let object: JsonObject | undefined;
  if (format === 'ndjson' && !line.truncated) {
    const parsed = parseObject(line.text);
    if (parsed) {
      object = parsed;
      text = undefined;
    } else if (line.text.trim() !== '') {
      tags = ['_json_parse_failure'];
    }
  } else if (format === 'ndjson') {
    // A cut line is not parsed as JSON.
    tags = ['_truncated', '_json_parse_failure'];
  }
  const record: RawRecord = { id: fileEventId(key, line.start), text, object, context: fileContext(path, line.start, context), receivedAt };
  if (tags !== undefined) record.tags = tags;
  return record;
}

/** An element of a JSON array file: its id uses the element's index, kept apart from line offsets. */
export function elementRecord(key: string, path: string, index: number, value: JsonValue, context: RecordContext): RawRecord {
  const object = isPlainObject(value) ? value : undefined;
  return {
    id: fileEventId(`${key}/element`, index),
    text: object ? undefined : JSON.stringify(value),
    object,
    // An index is not a byte offset: ECS's `event.sequence` says where the element was.
    context: { ...fileContext(path, 0, context), log: { file: { path } }, event: { sequence: index } },
    receivedAt: Date.now(),
  };
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
