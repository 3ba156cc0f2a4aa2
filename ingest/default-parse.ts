/**
 * The parse used when no pipeline is configured (and by tests): the record's text becomes
 * `message`, an object record is taken as the event itself, the source's context is merged in.
 */
import { copyJson, isPlainObject, type JsonObject } from '../core/event/types.ts';
import type { Parse, RawRecord } from './contract.ts';

export const defaultParse: Parse = (record: RawRecord): JsonObject => {
  // Copied: the context may be shared between records, the event must own its objects.
  const base: JsonObject = { '@timestamp': new Date(record.receivedAt).toISOString(), ...copyJson(record.context as JsonObject) };
  const event: JsonObject = record.object ? { ...base, ...record.object } : { ...base, message: record.text ?? '' };
  const section = event['event'];
  event['event'] = { ...(isPlainObject(section) ? section : {}), id: record.id };
  if (record.tags && record.tags.length > 0) event['tags'] = mergeTags(event['tags'], record.tags);
  return event;
};

/** Tags already on an event plus new ones, without repeats. */
export function mergeTags(existing: JsonObject[string], added: readonly string[]): string[] {
  const tags = Array.isArray(existing) ? existing.filter((tag): tag is string => typeof tag === 'string') : [];
  for (const tag of added) if (!tags.includes(tag)) tags.push(tag);
  return tags;
}
