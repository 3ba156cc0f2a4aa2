import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { eventFields } from '../../core/event/fields.ts';
import { dailyIndex, dayOfIndex, eventsMappings, eventsTemplate, indexNames, stateIndex } from './mapping.ts';

const names = indexNames('faultline');

/** The mapping of a dotted field in nested `properties`. */
function mappingOf(mappings: estypes.MappingTypeMapping, field: string): estypes.MappingProperty | undefined {
  const parts = field === '@timestamp' ? [field] : field.split('.');
  let properties = mappings.properties;
  let found: estypes.MappingProperty | undefined;
  for (const part of parts) {
    found = properties?.[part];
    properties = found && 'properties' in found ? (found as estypes.MappingObjectProperty).properties : undefined;
  }
  return found;
}

describe('index names', () => {
  it('put each event in the index of its UTC day', () => {
    expect(dailyIndex(names, Date.parse('2026-03-01T23:30:00-02:00'))).toBe('faultline-events-2026.03.02');
    expect(dailyIndex(names, Date.parse('2026-12-31T23:59:59.999Z'))).toBe('faultline-events-2026.12.31');
  });

  it('read the day back from a daily index, and nothing from other names', () => {
    expect(dayOfIndex(names, 'faultline-events-2026.03.02')).toBe(Date.UTC(2026, 2, 2));
    expect(dayOfIndex(names, 'faultline-events-2026.13.02')).toBeUndefined();
    expect(dayOfIndex(names, 'faultline-events-x-events-2026.03.02')).toBeUndefined();
    expect(dayOfIndex(names, 'faultline-state')).toBeUndefined();
  });
});

describe('events index template', () => {
  const mappings = eventsMappings();

  it('maps every catalogue field explicitly, with its type', () => {
    for (const [field, definition] of Object.entries(eventFields)) {
      expect(mappingOf(mappings, field), field).toMatchObject({ type: definition.type });
    }
  });

  it('caps keywords at ignore_above, analyzes text with standard, and stores but never indexes event.original', () => {
    expect(mappingOf(mappings, 'host.name')).toEqual({ type: 'keyword', ignore_above: 1024 });
    expect(mappingOf(mappings, 'message')).toEqual({ type: 'text', analyzer: 'standard', norms: false });
    expect(mappingOf(mappings, 'event.original')).toEqual({ type: 'keyword', ignore_above: 1024, index: false, doc_values: false });
    expect(mappingOf(mappings, '@timestamp')).toEqual({ type: 'date', format: 'strict_date_optional_time||epoch_millis' });
  });

  it('maps unknown fields by their first value: strings and labels as keywords, integers as long, floats as double', () => {
    expect(mappings.date_detection).toBe(false);
    expect(mappings.dynamic_templates).toEqual([
      { labels: { path_match: 'labels.*', mapping: { type: 'keyword', ignore_above: 1024 } } },
      { strings: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } },
      { integers: { match_mapping_type: 'long', mapping: { type: 'long' } } },
      { floats: { match_mapping_type: 'double', mapping: { type: 'double' } } },
    ]);
  });

  it('applies to the daily indices of its prefix, with the configured shards and replicas', () => {
    const template = eventsTemplate(names, { shards: 1, replicas: 0 });
    expect(template).toMatchObject({
      name: 'faultline-events',
      index_patterns: ['faultline-events-*'],
      template: { settings: { number_of_shards: 1, number_of_replicas: 0 } },
    });
  });

  it('keeps state documents whole and unindexed', () => {
    expect(stateIndex(names, { shards: 1, replicas: 2 })).toMatchObject({
      index: 'faultline-state',
      settings: { number_of_replicas: 2 },
      mappings: { dynamic: 'strict', properties: { doc: { type: 'object', enabled: false } } },
    });
  });
});
