/**
 * `date`: parses a timestamp field with the first matching format and writes `@timestamp` as ISO
 * 8601 UTC with milliseconds. Timestamps without a year (RFC 3164 syslog) get the newest year
 * that does not put them more than `future_margin` after the reference "now", or a fixed `year`.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from '../../../core/duration.ts';
import { defineProcessor, OptionError } from '../../engine/contract.ts';
import { fieldPath } from '../../engine/field-path.ts';
import { suggest } from '../../engine/load/problems.ts';
import { fieldName, missing, sourceOptions, typeName } from '../field-options.ts';
import { compileFormat, namedFormats, type DateParser } from './formats.ts';
import { createResolution } from './resolution.ts';
import { isoString } from './iso-string.ts';
import { zoneNamed } from './zone.ts';

/** Years 1 to 9999, what ISO 8601 strings and the stores hold. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;
const TEXT_ONLY_FORMATS = new Set(['ISO8601', 'RFC3164', 'HTTPDATE', 'HTTPDERROR_DATE']);

export const date = defineProcessor({
  description:
    'Parses a date field with formats (ISO8601, UNIX, UNIX_MS, RFC3164, HTTPDATE, HTTPDERROR_DATE or custom tokens such as yyyy-MM-dd HH:mm:ss,SSS), tried in order, into target_field as ISO 8601 UTC.',
  schema: z.strictObject({
    ...sourceOptions('timestamp'),
    target_field: fieldName.default('@timestamp'),
    formats: z.array(z.string().min(1)).min(1),
    /** IANA name (`Europe/Paris`) or offset (`+02:00`) for timestamps that carry no zone. */
    timezone: z.string().default('UTC'),
    /** Fixed year for timestamps without one, instead of inferring it. */
    year: z.int().min(1).max(9999).optional(),
    /** How far after "now" a year-less timestamp may be before it is taken for last year's. */
    future_margin: z.string().regex(DURATION_PATTERN, 'a duration such as 1d, 12h or 30m').default('1d'),
  }),
  compile(options, context) {
    const zone = zoneNamed(options.timezone);
    if (zone === undefined) {
      const known = Intl.supportedValuesOf('timeZone');
      throw new OptionError(['timezone'], `unknown time zone '${options.timezone}'${suggest(options.timezone, known)}; use an IANA name such as Europe/Paris or an offset such as +02:00`);
    }
    const resolution = createResolution({ zone, year: options.year, futureMarginMs: parseDuration(options.future_margin) as number, now: context.now });
    const parsers: DateParser[] = options.formats.map((format, index) => {
      try {
        return compileFormat(format, resolution);
      } catch (error) {
        throw new OptionError(['formats', index], `${(error as Error).message}; formats are ${namedFormats.join(', ')} or tokens such as yyyy-MM-dd'T'HH:mm:ss.SSSZ`);
      }
    });
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field);
    // A number (pino's `time`, zap's `ts`) goes straight to an epoch format when that is the
    // first listed one that could read digits (the other named formats never can).
    const digitsFormat = options.formats.find((format) => !TEXT_ONLY_FORMATS.has(format));
    const epoch = digitsFormat === 'UNIX' || digitsFormat === 'UNIX_MS' ? digitsFormat : undefined;
    const epochScale = epoch === 'UNIX' ? 1000 : 1;
    const ignoreMissing = options.ignore_missing;
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return ignoreMissing ? undefined : missing(options.field);
      if (typeof value !== 'string' && typeof value !== 'number') return `field '${options.field}' is ${typeName(value)}, not a date`;
      if (typeof value === 'number' && epoch !== undefined) {
        const ms = Math.round(value * epochScale);
        if (Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS) {
          target.set(event, isoString(ms));
          return undefined;
        }
      }
      const text = typeof value === 'number' ? String(value) : value.trim();
      for (let index = 0; index < parsers.length; index++) {
        const ms = (parsers[index] as DateParser)(text);
        if (!Number.isNaN(ms) && ms >= MIN_MS && ms <= MAX_MS) {
          target.set(event, isoString(ms));
          return undefined;
        }
      }
      return `${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)} matches none of the formats ${options.formats.join(', ')}`;
    };
  },
});
