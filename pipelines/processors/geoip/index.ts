/**
 * `geoip`: adds ECS geo fields (country, region, city, location...) for an IP address from an
 * offline MMDB database (see database.ts for the default and its attribution).
 */
import { z } from 'zod';
import { describeError } from '../../../core/errors.ts';
import type { JsonObject } from '../../../core/event/types.ts';
import { defineProcessor, OptionError } from '../../engine/contract.ts';
import { fieldPath } from '../../engine/field-path.ts';
import { fieldName, missing, sourceOptions, typeName } from '../field-options.ts';
import { LruCache } from '../lru-cache.ts';
import { ipFamily, openDatabase, type GeoDatabase } from './database.ts';

export const geoProperties = ['continent_name', 'country_iso_code', 'country_name', 'region_name', 'city_name', 'postal_code', 'timezone', 'location'] as const;

export const geoip = defineProcessor({
  description:
    'Looks an IP address up in an offline GeoIP database and writes ECS geo fields under target_field (default: source.ip -> source.geo). No entry (private addresses) adds nothing.',
  schema: z.strictObject({
    ...sourceOptions('source.ip'),
    target_field: fieldName.optional(),
    /** An MMDB city database (MaxMind or ip-location-db layout); default: DB-IP City Lite. */
    database_file: z.string().min(1).optional(),
    properties: z.array(z.enum(geoProperties)).min(1).optional(),
    /** Addresses whose answer is kept; an entry is a reference to a shared answer, so a busy server's clients fit. */
    cache_size: z.int().min(0).default(50_000),
  }),
  compile(options) {
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field ?? (options.field.endsWith('.ip') ? `${options.field.slice(0, -3)}.geo` : 'geo'));
    let database: GeoDatabase;
    try {
      database = openDatabase(options.database_file);
    } catch (error) {
      throw new OptionError(['database_file'], `cannot open the GeoIP database: ${describeError(error)}`);
    }
    const properties = options.properties === undefined ? undefined : new Set<string>(options.properties);
    const cache = new LruCache<string, JsonObject | null>(options.cache_size);
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not an IP address`;
      let geo = cache.get(value);
      if (geo === undefined) {
        const family = ipFamily(value);
        if (family === 0) return `'${value.slice(0, 60)}' is not an IP address`;
        geo = database.lookup(value, family);
        // The database's answer is shared between addresses: keep the chosen properties in a copy.
        if (geo !== null && properties !== undefined) geo = Object.fromEntries(Object.entries(geo).filter(([key]) => properties.has(key))) as JsonObject;
        cache.set(value, geo);
      }
      if (geo !== null) target.set(event, copyGeo(geo));
      return undefined;
    };
  },
});

/** The cached object is shared, so each event gets its own (shallow, plus location) copy. */
function copyGeo(geo: JsonObject): JsonObject {
  const out = { ...geo };
  const location = geo['location'];
  if (location !== null && typeof location === 'object' && !Array.isArray(location)) out['location'] = { ...location };
  return out;
}
