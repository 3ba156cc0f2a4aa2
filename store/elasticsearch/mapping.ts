/**
 * Index names, the events index template (generated from the field catalogue) and the state
 * index of the Elasticsearch store.
 */
import type { estypes } from '@elastic/elasticsearch';
import { eventFields, KEYWORD_IGNORE_ABOVE, type FieldDefinition, type FieldType } from '../../core/event/fields.ts';

export const DATE_FORMAT = 'strict_date_optional_time||epoch_millis';
export const DAY_MS = 86_400_000;

export interface IndexNames {
  /** Name of the index template, and the stem of every daily index. */
  events: string;
  /** Pattern that matches every daily index: what reads search. */
  eventsPattern: string;
  state: string;
}

export function indexNames(prefix: string): IndexNames {
  return { events: `${prefix}-events`, eventsPattern: `${prefix}-events-*`, state: `${prefix}-state` };
}

/** The daily index of an event: its @timestamp's UTC day, so a retry always lands where the first try did. */
export function dailyIndex(names: IndexNames, timestampMs: number): string {
  const date = new Date(timestampMs);
  const day = `${date.getUTCFullYear()}.${pad(date.getUTCMonth() + 1)}.${pad(date.getUTCDate())}`;
  return `${names.events}-${day}`;
}

/** The UTC day (epoch ms of its midnight) a daily index holds, or undefined for another name. */
export function dayOfIndex(names: IndexNames, index: string): number | undefined {
  const match = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(index.startsWith(`${names.events}-`) ? index.slice(names.events.length + 1) : '');
  if (!match) return undefined;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return dailyIndex(names, day) === index ? day : undefined;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** How one catalogue type is mapped. */
export function fieldMapping(definition: FieldDefinition): estypes.MappingProperty {
  const unsearchable = definition.searchable === false ? { index: false, doc_values: false } : {};
  return { ...typeMapping(definition.type), ...unsearchable } as estypes.MappingProperty;
}

function typeMapping(type: FieldType): estypes.MappingProperty {
  switch (type) {
    case 'keyword':
      return { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE };
    case 'text':
      // `standard` is the analyzer store/text.ts reproduces; norms only serve scoring, which sorted reads never use.
      return { type: 'text', analyzer: 'standard', norms: false };
    case 'date':
      return { type: 'date', format: DATE_FORMAT };
    case 'flattened':
      return { type: 'flattened', ignore_above: KEYWORD_IGNORE_ABOVE };
    case 'long':
    case 'double':
    case 'ip':
    case 'boolean':
    case 'geo_point':
      return { type };
  }
}

type Properties = Record<string, estypes.MappingProperty>;

/** Nested `properties` from dotted field names (`host.name` -> host: {properties: {name}}). */
function nest(fields: Iterable<[string, estypes.MappingProperty]>): Properties {
  const root: Properties = {};
  for (const [name, mapping] of fields) {
    const parts = name === '@timestamp' ? [name] : name.split('.');
    let level = root;
    for (const part of parts.slice(0, -1)) {
      const existing = level[part];
      const object: estypes.MappingObjectProperty =
        existing && 'properties' in existing ? (existing as estypes.MappingObjectProperty) : { properties: {} };
      level[part] = object;
      level = (object.properties ??= {});
    }
    level[parts[parts.length - 1] as string] = mapping;
  }
  return root;
}

export function eventsMappings(): estypes.MappingTypeMapping {
  const catalogue = Object.entries(eventFields).map(([name, definition]): [string, estypes.MappingProperty] => [name, fieldMapping(definition)]);
  return {
    date_detection: false,
    numeric_detection: false,
    dynamic_templates: [
      { labels: { path_match: 'labels.*', mapping: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } } },
      { strings: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } } },
      { integers: { match_mapping_type: 'long', mapping: { type: 'long' } } },
      { floats: { match_mapping_type: 'double', mapping: { type: 'double' } } },
    ],
    properties: nest(catalogue),
  };
}

export interface IndexLayout {
  shards: number;
  replicas: number;
}

export function eventsTemplate(names: IndexNames, layout: IndexLayout): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: names.events,
    index_patterns: [names.eventsPattern],
    priority: 200,
    _meta: { managed_by: 'faultline', description: 'Faultline events, one index per UTC day' },
    template: {
      settings: {
        number_of_shards: layout.shards,
        number_of_replicas: layout.replicas,
        'query.default_field': ['message'],
        'mapping.total_fields.limit': 2000,
      },
      mappings: eventsMappings(),
    },
  };
}

/** One document per (kind, id); `doc` is kept, not indexed, so any shape is accepted. */
export function stateIndex(names: IndexNames, layout: IndexLayout): estypes.IndicesCreateRequest {
  return {
    index: names.state,
    settings: { number_of_shards: 1, number_of_replicas: layout.replicas },
    mappings: {
      dynamic: 'strict',
      properties: {
        kind: { type: 'keyword' },
        id: { type: 'keyword' },
        updated: { type: 'date' },
        doc: { type: 'object', enabled: false },
      },
    },
  };
}
