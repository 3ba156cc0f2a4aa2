/**
 * Joins ingest and pipelines: a record from a source becomes an event through the pipeline its
 * input names. The record's id becomes `event.id` whatever the pipeline did, and an event without
 * `@timestamp` (no date processor matched) gets the time it was received.
 */
import type { JsonObject } from '../core/event/types.ts';
import { isPlainObject } from '../core/event/types.ts';
import type { Parse, ParseResolver, RawRecord } from '../ingest/contract.ts';
import { defaultParse, mergeTags } from '../ingest/default-parse.ts';
import type { PipelineSet } from '../pipelines/index.ts';

export function pipelineParseResolver(pipelines: PipelineSet): ParseResolver {
  return (pipelineId) => {
    if (pipelineId === undefined) return defaultParse;
    const pipeline = pipelines.get(pipelineId);
    const parse: Parse = (record: RawRecord) => {
      const event = pipeline.run(record.object ?? record.text ?? '', record.context);
      if (event === null) return null;
      return finish(event, record);
    };
    return parse;
  };
}

function finish(event: JsonObject, record: RawRecord): JsonObject {
  const section = event['event'];
  // The event owns its objects (pipelines copy what they take from the context and from constants).
  if (isPlainObject(section)) section['id'] = record.id;
  else event['event'] = { id: record.id };
  if (typeof event['@timestamp'] !== 'string') event['@timestamp'] = new Date(record.receivedAt).toISOString();
  if (record.tags && record.tags.length > 0) event['tags'] = mergeTags(event['tags'], record.tags);
  return event;
}
