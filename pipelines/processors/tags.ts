/** Adding a marker tag (`_truncated`, `_syslog_parse_failure`) to an event's `tags`, once. */
import type { JsonObject } from '../../core/event/types.ts';

export function addTag(event: JsonObject, tag: string): void {
  const tags = event['tags'];
  if (Array.isArray(tags)) {
    if (!tags.includes(tag)) tags.push(tag);
  } else if (typeof tags === 'string') {
    event['tags'] = tags === tag ? [tags] : [tags, tag];
  } else {
    event['tags'] = [tag];
  }
}
