/**
 * Values as the store contract answers them (top values, aggregate groups): numbers and dates as
 * numbers (dates in epoch ms), booleans as booleans, everything else as text. Each backend's raw
 * key (Elasticsearch bucket keys, SQLite column values) goes through here, so both answer alike.
 */
import type { FieldType } from '../core/event/fields.ts';

export function contractValue(type: FieldType, key: string | number | bigint | boolean | null | Uint8Array): string | number | boolean {
  switch (type) {
    case 'long':
    case 'double':
    case 'date':
      return Number(key);
    case 'boolean':
      return key === true || key === 'true' || Number(key) === 1;
    case 'keyword':
    case 'ip':
    case 'flattened':
    case 'text':
    case 'geo_point':
      return String(key);
  }
}
