/**
 * `user_agent`: parses a User-Agent header into ECS `user_agent.*` with ua-parser-js 1.x (MIT;
 * 2.x is AGPL, which this Apache-2.0 project does not take). Results are cached in a small LRU:
 * access logs repeat the same few hundred agents.
 */
import UAParser from 'ua-parser-js';
import { z } from 'zod';
import type { JsonObject } from '../../../core/event/types.ts';
import { defineProcessor } from '../../engine/contract.ts';
import { fieldPath } from '../../engine/field-path.ts';
import { fieldName, missing, sourceOptions, typeName } from '../field-options.ts';
import { LruCache } from '../lru-cache.ts';

/** What one agent string yields, flat; copied into a fresh object per event. */
interface Parsed {
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly device: string | undefined;
  readonly osName: string | undefined;
  readonly osVersion: string | undefined;
}

/** Agent strings longer than this are parsed on their first part only: the library's regexes scan the whole string. */
const MAX_AGENT_LENGTH = 1024;

export const userAgent = defineProcessor({
  description: 'Parses a User-Agent string into name, version, os.name, os.version, os.full and device.name under target_field.',
  schema: z.strictObject({
    ...sourceOptions('user_agent.original'),
    target_field: fieldName.default('user_agent'),
    cache_size: z.int().min(0).default(1000),
  }),
  compile(options) {
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field);
    const cache = new LruCache<string, Parsed>(options.cache_size);
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      let parsed = cache.get(value);
      if (parsed === undefined) {
        parsed = parse(value.length > MAX_AGENT_LENGTH ? value.slice(0, MAX_AGENT_LENGTH) : value);
        cache.set(value, parsed);
      }
      const existing = target.get(event);
      const out: JsonObject = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
      out['name'] = parsed.name ?? 'Other';
      if (parsed.version !== undefined) out['version'] = parsed.version;
      if (parsed.device !== undefined) out['device'] = { name: parsed.device };
      if (parsed.osName !== undefined) {
        const os: JsonObject = { name: parsed.osName };
        if (parsed.osVersion !== undefined) {
          os['version'] = parsed.osVersion;
          os['full'] = `${parsed.osName} ${parsed.osVersion}`;
        }
        out['os'] = os;
      }
      if (out !== existing) target.set(event, out);
      return undefined;
    };
  },
});

function parse(agent: string): Parsed {
  const result = new UAParser(agent).getResult();
  const device = result.device.model ?? (result.device.vendor !== undefined ? result.device.vendor : undefined);
  return {
    name: result.browser.name,
    version: result.browser.version,
    device,
    osName: result.os.name,
    osVersion: result.os.version,
  };
}
