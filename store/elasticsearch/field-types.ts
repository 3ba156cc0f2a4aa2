/**
 * Field types for queries and the field list: the catalogue first, then what the mapping says
 * (field_caps over the daily indices, cached briefly), else keyword, as the reference evaluator does.
 */
import type { estypes } from '@elastic/elasticsearch';
import { knownField, type FieldType } from '../../core/event/fields.ts';
import type { FieldInfo } from '../contract.ts';
import type { Connection } from './connection.ts';

/** How long a mapping lookup is reused; a field missing from it triggers a new lookup sooner. */
const CACHE_MS = 30_000;
const MISSING_RECHECK_MS = 1000;

const esToFieldType: Readonly<Record<string, FieldType>> = {
  keyword: 'keyword',
  constant_keyword: 'keyword',
  wildcard: 'keyword',
  text: 'text',
  match_only_text: 'text',
  long: 'long',
  integer: 'long',
  short: 'long',
  byte: 'long',
  unsigned_long: 'long',
  double: 'double',
  float: 'double',
  half_float: 'double',
  scaled_float: 'double',
  date: 'date',
  date_nanos: 'date',
  ip: 'ip',
  boolean: 'boolean',
  flattened: 'flattened',
  geo_point: 'geo_point',
};

/**
 * One type for a field the daily indices map differently (a dynamic field first seen as an
 * integer one day and a float the next): the one whose queries the others can also answer.
 */
function pickType(types: FieldType[]): FieldType | undefined {
  for (const preferred of ['keyword', 'double'] as const) if (types.includes(preferred)) return preferred;
  return types[0];
}

function capsToTypes(caps: estypes.FieldCapsResponse): Map<string, FieldType> {
  const types = new Map<string, FieldType>();
  for (const [name, byType] of Object.entries(caps.fields)) {
    const type = pickType(Object.keys(byType).flatMap((esType) => esToFieldType[esType] ?? []));
    if (type) types.set(name, type);
  }
  return types;
}

export class FieldTypes {
  private readonly connection: Connection;
  private cache: { at: number; types: Map<string, FieldType> } | undefined;

  constructor(connection: Connection) {
    this.connection = connection;
  }

  /** A type lookup for the given fields, fetching the mapping only when one is not in the catalogue. */
  async resolver(fields: readonly string[]): Promise<(field: string) => FieldType> {
    const dynamic = fields.filter((field) => !knownField(field));
    if (dynamic.length > 0) {
      const age = this.cache ? Date.now() - this.cache.at : Infinity;
      const missing = dynamic.some((field) => !this.cache?.types.has(field));
      if (age > CACHE_MS || (missing && age > MISSING_RECHECK_MS)) {
        this.cache = { at: Date.now(), types: capsToTypes(await this.fetch(true)) };
      }
    }
    const types = this.cache?.types;
    return (field) => knownField(field)?.type ?? types?.get(field) ?? 'keyword';
  }

  /** Fields that hold a value in at least one event, sorted by name. */
  async list(): Promise<FieldInfo[]> {
    const types = capsToTypes(await this.fetch(false));
    return [...types]
      .map(([name, type]) => ({ name, type: knownField(name)?.type ?? type }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private fetch(includeEmpty: boolean): Promise<estypes.FieldCapsResponse> {
    return this.connection.client.fieldCaps({
      index: this.connection.names.eventsPattern,
      fields: '*',
      filters: '-metadata,-parent',
      include_empty_fields: includeEmpty,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
  }
}
