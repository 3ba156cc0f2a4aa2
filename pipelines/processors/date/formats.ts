/**
 * Date formats, each compiled once into a parser `text -> epoch ms | NaN`: the named ones
 * (ISO8601, UNIX, UNIX_MS, RFC3164, HTTPDATE, HTTPDERROR_DATE) and custom token formats
 * (`yyyy-MM-dd HH:mm:ss,SSS`, `MMM d HH:mm:ss`, `dd/MMM/yyyy:HH:mm:ss Z`). Formats without a year
 * get one by inference (see index.ts). A space in a custom format matches one or more spaces.
 */
import type { Zone } from './zone.ts';

export type DateParser = (text: string) => number;

/** How a wall-clock time without a year or zone becomes an instant. */
export interface Resolution {
  readonly zone: Zone;
  /** The year for a month/day/time that carries none (fixed, or inferred from "now"). */
  yearFor(month: number, day: number, hour: number, minute: number, second: number, ms: number): number;
}

export const namedFormats = ['ISO8601', 'UNIX', 'UNIX_MS', 'RFC3164', 'HTTPDATE', 'HTTPDERROR_DATE'] as const;

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

/** Three-letter month names by their letters' codes, lower-cased by setting bit 5 (other characters match nothing). */
const MONTH_CODES = new Map<number, number>(Object.entries(MONTHS).map(([name, month]) => [((name.charCodeAt(0) | 0x20) << 16) | ((name.charCodeAt(1) | 0x20) << 8) | (name.charCodeAt(2) | 0x20), month]));

/** The month (1-12) named by the three letters at `index`, any case, or undefined; without making a string. */
export function monthAt(text: string, index: number): number | undefined {
  return MONTH_CODES.get(((text.charCodeAt(index) | 0x20) << 16) | ((text.charCodeAt(index + 1) | 0x20) << 8) | (text.charCodeAt(index + 2) | 0x20));
}
const MONTH_NAME = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DAY_NAME = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';
const ZONE_OFFSET = '(Z|[+-]\\d{2}(?::?\\d{2})?)';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/** The parser of a named or custom format. Throws an Error naming the problem for a bad custom format. */
export function compileFormat(format: string, resolution: Resolution): DateParser {
  switch (format) {
    case 'ISO8601':
      return (text) => {
        const fast = isoBasic(text, resolution);
        if (!Number.isNaN(fast)) return fast;
        const m = ISO.exec(text);
        if (m === null) return Number.NaN;
        return instant(resolution, Number(m[1]), Number(m[2]), Number(m[3]), num(m[4]), num(m[5]), num(m[6]), fraction(m[7]), m[8]);
      };
    case 'UNIX':
      return (text) => (NUMERIC.test(text) ? Math.round(Number(text) * 1000) : Number.NaN);
    case 'UNIX_MS':
      return (text) => (NUMERIC.test(text) ? Math.round(Number(text)) : Number.NaN);
    case 'RFC3164': {
      const general = compileTokens('MMM d HH:mm:ss.SSS', resolution, true);
      return (text) => {
        const fast = rfc3164(text, resolution);
        return Number.isNaN(fast) ? general(text) : fast;
      };
    }
    case 'HTTPDATE': {
      const general = compileTokens('dd/MMM/yyyy:HH:mm:ss Z', resolution, false);
      return (text) => {
        const fast = httpDate(text);
        return Number.isNaN(fast) ? general(text) : fast;
      };
    }
    case 'HTTPDERROR_DATE':
      return compileTokens('EEE MMM dd HH:mm:ss.SSSSSS yyyy', resolution, true);
    default:
      return compileTokens(format, resolution, false);
  }
}

type Slot = 'year' | 'year2' | 'month' | 'monthName' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'ampm' | 'zone';

const TOKEN = /'([^']*)'|y+|M+|d+|E+|H+|h+|m+|s+|S+|a|Z+|X+| +|([A-Za-z])\2*|./g;

/**
 * Custom formats, Java/Joda style: yyyy yy MMMM MMM MM M dd d EEE HH H hh h mm m ss s S..
 * (fraction) a (AM/PM) Z ZZ X XXX (offset or Z) 'literal'. `optionalFraction` lets a trailing
 * fraction be absent (used by the named formats).
 */
function compileTokens(format: string, resolution: Resolution, optionalFraction: boolean): DateParser {
  const slots: Slot[] = [];
  let source = '^';
  for (const match of format.matchAll(TOKEN)) {
    const token = match[0];
    const literal = match[1];
    const add = (slot: Slot, pattern: string) => {
      slots.push(slot);
      source += `(${pattern})`;
    };
    if (literal !== undefined) source += escape(literal === '' ? "'" : literal);
    else if (/^ +$/.test(token)) source += ' +';
    else if (token === 'yyyy' || token === 'y') add('year', '\\d{4}');
    else if (token === 'yy') add('year2', '\\d{2}');
    else if (token.startsWith('y')) throw new Error(`'${token}': use yyyy or yy`);
    else if (token === 'MMMM' || token === 'MMM') {
      slots.push('monthName');
      source += MONTH_NAME;
    } else if (token === 'MM') add('month', '\\d{2}');
    else if (token === 'M') add('month', '\\d{1,2}');
    else if (token === 'dd') add('day', '\\d{2}');
    else if (token === 'd') add('day', '\\d{1,2}');
    else if (token.startsWith('E')) source += DAY_NAME;
    else if (token === 'HH') add('hour', '\\d{2}');
    else if (token === 'H') add('hour', '\\d{1,2}');
    else if (token === 'hh') add('hour12', '\\d{2}');
    else if (token === 'h') add('hour12', '\\d{1,2}');
    else if (token === 'mm') add('minute', '\\d{2}');
    else if (token === 'm') add('minute', '\\d{1,2}');
    else if (token === 'ss') add('second', '\\d{2}');
    else if (token === 's') add('second', '\\d{1,2}');
    else if (token.startsWith('S')) {
      if (optionalFraction && source.endsWith('\\.')) {
        source = `${source.slice(0, -2)}(?:[.,](\\d{1,9}))?`;
        slots.push('fraction');
      } else add('fraction', `\\d{${token.length}}`);
    } else if (token === 'a') add('ampm', '[AaPp][Mm]');
    else if (token.startsWith('Z') || token.startsWith('X')) {
      slots.push('zone');
      source += ZONE_OFFSET;
    } else if (/^[A-Za-z]$/.test(token[0] as string)) throw new Error(`unknown date token '${token}'`);
    else source += escape(token);
  }
  const regex = new RegExp(`${source}$`, 'i');
  const hasYear = slots.includes('year') || slots.includes('year2');
  return (text) => {
    const m = regex.exec(text);
    if (m === null) return Number.NaN;
    let year = Number.NaN;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let ms = 0;
    let pm: boolean | undefined;
    let zone: string | undefined;
    for (let index = 0; index < slots.length; index++) {
      const value = m[index + 1];
      if (value === undefined) continue;
      switch (slots[index] as Slot) {
        case 'year': year = Number(value); break;
        case 'year2': year = 2000 + Number(value); break;
        case 'month': month = Number(value); break;
        case 'monthName': month = MONTHS[value.slice(0, 3).toLowerCase()] ?? 0; break;
        case 'day': day = Number(value); break;
        case 'hour': hour = Number(value); break;
        case 'hour12': hour = Number(value) % 12; break;
        case 'minute': minute = Number(value); break;
        case 'second': second = Number(value); break;
        case 'fraction': ms = fraction(value); break;
        case 'ampm': pm = value.toLowerCase() === 'pm'; break;
        case 'zone': zone = value; break;
      }
    }
    if (pm === true) hour += 12;
    if (!hasYear) year = resolution.yearFor(month, day, hour, minute, second, ms);
    return instant(resolution, year, month, day, hour, minute, second, ms, zone);
  };
}

/** Epoch ms of a validated wall-clock time, in its explicit offset or the resolution's zone; NaN if invalid. */
export function instant(resolution: Resolution, year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, zone: string | undefined): number {
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  if (zone === undefined) return resolution.zone.toUtc(local);
  return local - offsetMs(zone);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function validDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * The common `MMM d HH:mm:ss` without a regex: the syslog hot path. NaN for anything else
 * (fractions, odd spacing, full month names), which the general parser then takes.
 */
function rfc3164(text: string, resolution: Resolution): number {
  const length = text.length;
  if (length !== 15 && length !== 14) return Number.NaN;
  const month = monthAt(text, 0);
  if (month === undefined || text.charCodeAt(3) !== 32) return Number.NaN;
  let index = 4;
  if (text.charCodeAt(index) === 32) index++;
  const day = digits(text, index, length === 15 && index === 4 ? 2 : 1);
  index += length === 15 && index === 4 ? 2 : 1;
  if (text.charCodeAt(index) !== 32 || index + 9 !== length) return Number.NaN;
  const hour = digits(text, index + 1, 2);
  const minute = digits(text, index + 4, 2);
  const second = digits(text, index + 7, 2);
  if (text.charCodeAt(index + 3) !== 58 || text.charCodeAt(index + 6) !== 58) return Number.NaN;
  const year = resolution.yearFor(month, day, hour, minute, second, 0);
  return instant(resolution, year, month, day, hour, minute, second, 0, undefined);
}

/** `dd/MMM/yyyy:HH:mm:ss +hhmm` (access logs) without a regex; NaN for anything else. */
function httpDate(text: string): number {
  if (text.length !== 26 || text.charCodeAt(2) !== 47 || text.charCodeAt(6) !== 47 || text.charCodeAt(11) !== 58 || text.charCodeAt(20) !== 32) return Number.NaN;
  const month = monthAt(text, 3);
  const sign = text.charCodeAt(21) === 45 ? -1 : text.charCodeAt(21) === 43 ? 1 : 0;
  if (month === undefined || sign === 0 || text.charCodeAt(14) !== 58 || text.charCodeAt(17) !== 58) return Number.NaN;
  const year = digits(text, 7, 4);
  const day = digits(text, 0, 2);
  const hour = digits(text, 12, 2);
  const minute = digits(text, 15, 2);
  const second = digits(text, 18, 2);
  const offset = sign * (digits(text, 22, 2) * 60 + digits(text, 24, 2)) * 60_000;
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offset;
}

/**
 * The common `yyyy-MM-ddTHH:mm:ss[.SSS]Z` without a regex: the NDJSON hot path. NaN for anything
 * else (offsets, other fraction lengths, spaces), which the general parser then takes.
 */
function isoBasic(text: string, resolution: Resolution): number {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 || text.charCodeAt(10) !== 84) return Number.NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
  if (length === 24 && text.charCodeAt(19) !== 46) return Number.NaN;
  const ms = length === 24 ? digits(text, 20, 3) : 0;
  return instant(resolution, digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), ms, 'Z');
}

/** The number written by `count` ASCII digits at `index`, or NaN. */
function digits(text: string, index: number, count: number): number {
  let value = 0;
  for (let offset = 0; offset < count; offset++) {
    const code = text.charCodeAt(index + offset) - 48;
    if (code < 0 || code > 9) return Number.NaN;
    value = value * 10 + code;
  }
  return value;
}

function offsetMs(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
}

function num(text: string | undefined): number {
  return text === undefined ? 0 : Number(text);
}

/** Milliseconds of a fraction's digits (`5` -> 500, `123456` -> 123). */
function fraction(text: string | undefined): number {
  if (text === undefined) return 0;
  return Math.floor(Number(`0.${text}`) * 1000 + 1e-6);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
