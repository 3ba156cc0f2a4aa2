import { describe, expect, it } from 'vitest';
import { optionErrorOf, runProcessor, stored } from '../../testing/harness.ts';
import { isoString } from './iso-string.ts';
import { zoneNamed } from './zone.ts';

const parse = (t: string | number, formats: string[], extra: Record<string, string | number> = {}, now?: number): unknown =>
  runProcessor('date', { field: 't', formats, ...extra }, { t }, now === undefined ? {} : { now })?.['@timestamp'];

describe('date formats', () => {
  it.each([
    ['2026-11-23T12:34:56Z', '2026-11-23T12:34:56.000Z'],
    ['2026-11-23T12:34:56.123456789+02:00', '2026-11-23T10:34:56.123Z'],
    ['2026-11-23 12:34:56,747', '2026-11-23T12:34:56.747Z'],
    ['2026-11-23T12:34:56.5-0130', '2026-11-23T14:04:56.500Z'],
    ['2026-11-23', '2026-11-23T00:00:00.000Z'],
  ])('ISO8601 %s', (text, expected) => {
    expect(parse(text, ['ISO8601'])).toBe(expected);
  });

  it('UNIX and UNIX_MS, as strings or numbers', () => {
    expect(parse('1700000000', ['UNIX'])).toBe('2023-11-14T22:13:20.000Z');
    expect(parse('1700000000.25', ['UNIX'])).toBe('2023-11-14T22:13:20.250Z');
    expect(parse(1700000000123, ['UNIX_MS'])).toBe('2023-11-14T22:13:20.123Z');
  });

  it('HTTPDATE and HTTPDERROR_DATE', () => {
    expect(parse('10/Oct/2000:13:55:36 -0700', ['HTTPDATE'])).toBe('2000-10-10T20:55:36.000Z');
    expect(parse('Sun Dec 04 04:47:44 2005', ['HTTPDERROR_DATE'])).toBe('2005-12-04T04:47:44.000Z');
    expect(parse('Wed Oct 11 14:32:52.123456 2023', ['HTTPDERROR_DATE'])).toBe('2023-10-11T14:32:52.123Z');
  });

  it('custom token formats', () => {
    expect(parse('23/11/2026 01:02:03 PM', ['dd/MM/yyyy hh:mm:ss a'])).toBe('2026-11-23T13:02:03.000Z');
    expect(parse('2026.11.23 at 12h05', ["yyyy.MM.dd 'at' HH'h'mm"])).toBe('2026-11-23T12:05:00.000Z');
    expect(parse('November 3, 2026 7:08:09', ['MMMM d, yyyy H:mm:ss'])).toBe('2026-11-03T07:08:09.000Z');
    expect(parse('261123 120000+0100', ['yyMMdd HHmmssZ'])).toBe('2026-11-23T11:00:00.000Z');
  });

  it('tries formats in order', () => {
    expect(parse('1700000000', ['ISO8601', 'UNIX'])).toBe('2023-11-14T22:13:20.000Z');
  });

  it('refuses invalid dates rather than rolling them over', () => {
    const event = runProcessor('date', { field: 't', formats: ['ISO8601'] }, { t: '2026-02-30T00:00:00Z' });
    expect(stored(event)).toEqual({
      t: '2026-02-30T00:00:00Z',
      error: { message: 'date: "2026-02-30T00:00:00Z" matches none of the formats ISO8601' },
      tags: ['_pipeline_error'],
    });
  });
});

describe('RFC 3164 year inference', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);

  it('takes the current year for a past date', () => {
    expect(parse('Jun 14 15:16:01', ['RFC3164'], {}, now)).toBe('2026-06-14T15:16:01.000Z');
    expect(parse('Jul  1 09:00:02', ['RFC3164'], {}, now)).toBe('2026-07-01T09:00:02.000Z');
  });

  it('takes last year for a date further in the future than the margin', () => {
    expect(parse('Dec 10 06:55:46', ['RFC3164'], {}, now)).toBe('2025-12-10T06:55:46.000Z');
    expect(parse('Nov 24 11:00:00', ['RFC3164'], {}, now)).toBe('2026-11-24T11:00:00.000Z');
    expect(parse('Nov 24 13:00:00', ['RFC3164'], {}, now)).toBe('2025-11-24T13:00:00.000Z');
    expect(parse('Nov 25 11:00:00', ['RFC3164'], { future_margin: '3d' }, now)).toBe('2026-11-25T11:00:00.000Z');
  });

  it('takes next year for an early-January line read on New Year’s Eve', () => {
    expect(parse('Jan  1 00:00:30', ['RFC3164'], {}, Date.UTC(2026, 11, 31, 23, 59, 0))).toBe('2027-01-01T00:00:30.000Z');
  });

  it('finds the leap year of 29 February', () => {
    expect(parse('Feb 29 10:00:00', ['RFC3164'], {}, now)).toBe('2024-02-29T10:00:00.000Z');
  });

  it('uses a fixed year when configured', () => {
    expect(parse('Dec 10 06:55:46', ['RFC3164'], { year: 2005 }, now)).toBe('2005-12-10T06:55:46.000Z');
  });

  it('accepts fractions and full month names through the general parser', () => {
    expect(parse('Jun 14 15:16:01.250', ['RFC3164'], {}, now)).toBe('2026-06-14T15:16:01.250Z');
  });
});

describe('time zones', () => {
  it('applies an IANA zone, across daylight saving time', () => {
    expect(parse('2026-01-15 12:00:00', ['ISO8601'], { timezone: 'Europe/Paris' })).toBe('2026-01-15T11:00:00.000Z');
    expect(parse('2026-07-15 12:00:00', ['ISO8601'], { timezone: 'Europe/Paris' })).toBe('2026-07-15T10:00:00.000Z');
    expect(parse('2026-03-29 03:30:00', ['ISO8601'], { timezone: 'Europe/Paris' })).toBe('2026-03-29T01:30:00.000Z');
    expect(parse('2026-07-15 12:00:00', ['ISO8601'], { timezone: 'America/New_York' })).toBe('2026-07-15T16:00:00.000Z');
    expect(parse('Jun 14 15:16:01', ['RFC3164'], { timezone: 'Asia/Kolkata' }, Date.UTC(2026, 10, 23))).toBe('2026-06-14T09:46:01.000Z');
  });

  it('accepts fixed offsets; an explicit offset in the text wins', () => {
    expect(parse('2026-07-15 12:00:00', ['ISO8601'], { timezone: '+05:30' })).toBe('2026-07-15T06:30:00.000Z');
    expect(parse('2026-07-15T12:00:00Z', ['ISO8601'], { timezone: 'Europe/Paris' })).toBe('2026-07-15T12:00:00.000Z');
  });

  it('finds offsets that match Intl at transitions', () => {
    const zone = zoneNamed('America/New_York');
    expect(zone?.offsetAt(Date.UTC(2026, 2, 8, 6, 59))).toBe(-5 * 3_600_000);
    expect(zone?.offsetAt(Date.UTC(2026, 2, 8, 7, 0))).toBe(-4 * 3_600_000);
  });

  it('refuses an unknown zone at load with a suggestion', () => {
    expect(optionErrorOf('date', { formats: ['ISO8601'], timezone: 'Europe/Pariss' })).toContain(
      "processors[0].date.timezone: unknown time zone 'Europe/Pariss' (did you mean 'Europe/Paris'?)",
    );
  });

  it('refuses unknown tokens at load', () => {
    expect(optionErrorOf('date', { formats: ['yyyy-QQ'] })).toContain("processors[0].date.formats[0]: unknown date token 'QQ'");
  });
});

describe('isoString', () => {
  it('formats like Date#toISOString', () => {
    for (const ms of [0, 1, 999, 1_700_000_000_123, -1, 253_402_300_799_999, Date.UTC(2024, 1, 29, 23, 59, 59, 5)]) {
      expect(isoString(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
