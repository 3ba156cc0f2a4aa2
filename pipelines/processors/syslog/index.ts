/**
 * `syslog`: parses an RFC 5424 or RFC 3164 message (with or without PRI, as /var/log files hold
 * them) into ECS fields: `@timestamp`, `host.name`, `process.name`/`pid`, `log.syslog.*`,
 * `log.level` and `event.severity` from the PRI, and the message. Text that is not syslog keeps
 * its message and gets the tag `_syslog_parse_failure`: it is kept, never dropped or failed, so
 * one odd sender does not flood the error counters. The header parser is in header.ts.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from '../../../core/duration.ts';
import type { JsonObject } from '../../../core/event/types.ts';
import { defineProcessor, OptionError } from '../../engine/contract.ts';
import { fieldPath } from '../../engine/field-path.ts';
import { suggest } from '../../engine/load/problems.ts';
import type { Resolution } from '../date/formats.ts';
import { isoString } from '../date/iso-string.ts';
import { createResolution } from '../date/resolution.ts';
import { zoneNamed } from '../date/zone.ts';
import { fieldName, missing, sourceOptions, typeName } from '../field-options.ts';
import { addTag } from '../tags.ts';
import { facilityNames, severityLevels, severityNames } from './codes.ts';
import { parseSyslog, SyslogHeader } from './header.ts';

export const SYSLOG_PARSE_FAILURE_TAG = '_syslog_parse_failure';

/** Zones named by events (`event.timezone`) are resolved once each; a sender cannot grow this past the bound. */
const MAX_EVENT_ZONES = 64;

export const syslog = defineProcessor({
  description:
    'Parses an RFC 5424 or RFC 3164 syslog message (PRI optional) into @timestamp, host.name, process.name/pid, log.syslog.*, log.level, event.severity and message; other text gets the tag _syslog_parse_failure.',
  schema: z.strictObject({
    ...sourceOptions('message'),
    /** Zone of timestamps that carry none (RFC 3164): IANA name or offset. */
    timezone: z.string().default('UTC'),
    /** A field naming the zone per event, over `timezone` when present (the syslog input sets `event.timezone`). */
    timezone_field: fieldName.default('event.timezone'),
    /** Fixed year for RFC 3164 timestamps, instead of inferring it from the clock. */
    year: z.int().min(1).max(9999).optional(),
    future_margin: z.string().regex(DURATION_PATTERN, 'a duration such as 1d, 12h or 30m').default('1d'),
    /** The tag for text that is not syslog. */
    failure_tag: z.string().min(1).default(SYSLOG_PARSE_FAILURE_TAG),
  }),
  compile(options, context) {
    const futureMarginMs = parseDuration(options.future_margin) as number;
    const resolutionFor = (name: string): Resolution | undefined => {
      const zone = zoneNamed(name);
      return zone === undefined ? undefined : createResolution({ zone, year: options.year, futureMarginMs, now: context.now });
    };
    const fallback = resolutionFor(options.timezone);
    if (fallback === undefined) {
      throw new OptionError(['timezone'], `unknown time zone '${options.timezone}'${suggest(options.timezone, Intl.supportedValuesOf('timeZone'))}; use an IANA name such as Europe/Paris or an offset such as +02:00`);
    }
    const zones = new Map<string, Resolution>([[options.timezone, fallback]]);
    const zoneField = fieldPath(options.timezone_field);
    const source = fieldPath(options.field);
    const header = new SyslogHeader();
    const { ignore_missing: ignoreMissing, timezone, failure_tag: failureTag } = options;
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return ignoreMissing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      let resolution = fallback;
      const zoneName = zoneField.get(event);
      if (typeof zoneName === 'string' && zoneName !== timezone) {
        let named = zones.get(zoneName);
        if (named === undefined && zones.size < MAX_EVENT_ZONES) {
          // An unknown name falls back to `timezone`; remembered so that it is looked up once.
          named = resolutionFor(zoneName) ?? fallback;
          zones.set(zoneName, named);
        }
        resolution = named ?? fallback;
      }
      if (!parseSyslog(value, header, resolution)) {
        addTag(event, failureTag);
        return undefined;
      }
      write(event, header);
      return undefined;
    };
  },
});

/**
 * Writes the header's fields: new objects are built here with constant keys (fast in V8, and
 * only the parts the message has, so that JSON stays on its fast path); objects a source already
 * put there (`log.file`, `host`) are extended instead.
 */
function write(event: JsonObject, header: SyslogHeader): void {
  const priority = header.priority;
  const { hostname, appname, procid } = header;
  // The usual RFC 3164 header (PRI, host, tag with pid) is written as one literal of its final shape.
  const usual = priority >= 0 && header.version === 0 && hostname !== undefined && appname !== undefined && procid !== undefined;
  let fields: JsonObject = {};
  let level: string | undefined;
  if (priority >= 0) {
    const severity = priority & 7;
    const facility = priority >> 3;
    level = severityLevels[severity] as string;
    objectAt(event, 'event')['severity'] = severity;
    const facilityField = { code: facility, name: facilityNames[facility] as string };
    const severityField = { code: severity, name: severityNames[severity] as string };
    fields = usual
      ? { priority, facility: facilityField, severity: severityField, hostname, appname, procid }
      : { priority, facility: facilityField, severity: severityField };
  }
  if (!usual) {
    if (header.version !== 0) fields['version'] = String(header.version);
    if (hostname !== undefined) fields['hostname'] = hostname;
    if (appname !== undefined) fields['appname'] = appname;
    if (procid !== undefined) fields['procid'] = procid;
  }
  if (header.msgid !== undefined) fields['msgid'] = header.msgid;
  if (header.structuredData !== undefined) fields['structured_data'] = header.structuredData;
  if (event['log'] === undefined) {
    event['log'] = level === undefined ? { syslog: fields } : { level, syslog: fields };
  } else {
    const log = objectAt(event, 'log');
    if (level !== undefined) log['level'] = level;
    log['syslog'] = fields;
  }
  if (!Number.isNaN(header.time)) event['@timestamp'] = isoString(header.time);
  if (hostname !== undefined) {
    if (event['host'] === undefined) event['host'] = { name: hostname };
    else objectAt(event, 'host')['name'] = hostname;
  }
  if (appname !== undefined || procid !== undefined) {
    const pid = procid === undefined ? undefined : pidOf(procid);
    if (event['process'] === undefined && appname !== undefined && pid !== undefined) {
      event['process'] = { name: appname, pid };
    } else {
      const process = event['process'] === undefined ? (event['process'] = {}) : objectAt(event, 'process');
      if (appname !== undefined) process['name'] = appname;
      if (pid !== undefined) process['pid'] = pid;
    }
  }
  event['message'] = header.message;
}

/** The PROCID as a number when it is all digits (and safe), else undefined. */
function pidOf(procid: string): number | undefined {
  const length = procid.length;
  if (length === 0 || length > 15) return undefined;
  let value = 0;
  for (let index = 0; index < length; index++) {
    const digit = procid.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/** The object at `key`, created (or replacing a non-object) when needed. */
function objectAt(parent: JsonObject, key: string): JsonObject {
  const existing = parent[key];
  if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) return existing;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}
