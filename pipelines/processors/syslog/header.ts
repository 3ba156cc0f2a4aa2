/**
 * The syslog header parser: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`) and the
 * RFC 3164 family as found in the field (`<PRI>` optional, as in /var/log files; `Mmm dd
 * hh:mm:ss` or an RFC 3339 timestamp; an optional hostname; a TAG such as `sshd[42]`,
 * `sshd(pam_unix)[19939]` or `syslogd 1.4.1`). Hand-written over characters rather than a regular
 * expression: the syslog listener hands every message to it, and this is several times faster
 * than the equivalent grok, allocating only the strings it returns.
 */
import type { JsonObject } from '../../../core/event/types.ts';
import { monthAt, validDate, type Resolution } from '../date/formats.ts';
import { MAX_PRIORITY } from './codes.ts';
import { parseStructuredData } from './structured-data.ts';

const SPACE = 32;
const TAB = 9;
const COLON = 58;
const LESS = 60;
const GREATER = 62;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const DASH = 45;
const BOM = 0xfeff;
/** How far a TAG that holds a space (`syslogd 1.4.1:`) may reach for its colon. */
const MAX_SPACED_TAG = 32;

/** What one message's header holds; reused from message to message (parsing is synchronous). */
export class SyslogHeader {
  /** PRI, or -1 without one. */
  priority = -1;
  /** 1 for RFC 5424, 0 otherwise. */
  version = 0;
  /** Epoch ms, or NaN when the message carries no timestamp. */
  time = Number.NaN;
  hostname: string | undefined = undefined;
  appname: string | undefined = undefined;
  procid: string | undefined = undefined;
  msgid: string | undefined = undefined;
  structuredData: JsonObject | undefined = undefined;
  message = '';

  reset(): void {
    this.priority = -1;
    this.version = 0;
    this.time = Number.NaN;
    this.hostname = undefined;
    this.appname = undefined;
    this.procid = undefined;
    this.msgid = undefined;
    this.structuredData = undefined;
    this.message = '';
  }
}

/**
 * Parses `text` into `header`; false when it is not syslog (no PRI and no timestamp where the
 * line starts, or a broken RFC 5424 header), with the header then undefined.
 */
export function parseSyslog(text: string, header: SyslogHeader, resolution: Resolution): boolean {
  header.reset();
  let index = 0;
  if (text.charCodeAt(0) === LESS) {
    let value = 0;
    let digits = 0;
    index = 1;
    while (digits < 4 && isDigit(text.charCodeAt(index))) {
      value = value * 10 + text.charCodeAt(index) - 48;
      index++;
      digits++;
    }
    if (digits === 0 || digits > 3 || text.charCodeAt(index) !== GREATER || value > MAX_PRIORITY) return false;
    header.priority = value;
    index++;
    // `<PRI>1 ` is RFC 5424; an RFC 3164 timestamp never starts with a digit and a space.
    if (text.charCodeAt(index) === 49 && text.charCodeAt(index + 1) === SPACE) return parse5424(text, index + 2, header, resolution);
  }
  const afterTime = parseTimestamp(text, index, header, resolution);
  if (afterTime < 0) {
    if (header.priority < 0) return false;
    // PRI without a timestamp: the rest is the message, perhaps behind a TAG (RFC 3164 4.3.3).
    parseTag(text, index, header, false);
    return true;
  }
  index = skipSpaces(text, afterTime);
  const tokenEnd = tokenEndAt(text, index);
  // A first word that ends with ':' or holds '[' is the TAG of a message without a hostname.
  const bracket = text.indexOf('[', index);
  if (tokenEnd > index && text.charCodeAt(tokenEnd - 1) !== COLON && (bracket === -1 || bracket >= tokenEnd)) {
    header.hostname = text.slice(index, tokenEnd);
    index = skipSpaces(text, tokenEnd);
  }
  parseTag(text, index, header, true);
  return true;
}

function parse5424(text: string, start: number, header: SyslogHeader, resolution: Resolution): boolean {
  header.version = 1;
  let index = start;
  if (text.charCodeAt(index) === DASH && isSpace(text.charCodeAt(index + 1))) {
    index++;
  } else {
    index = parseIso(text, index, header, resolution);
    if (index < 0) return false;
  }
  const fields: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  for (let field = 0; field < 4; field++) {
    if (!isSpace(text.charCodeAt(index))) return false;
    index = skipSpaces(text, index);
    const end = tokenEndAt(text, index);
    if (end === index) return false;
    fields[field] = end === index + 1 && text.charCodeAt(index) === DASH ? undefined : text.slice(index, end);
    index = end;
  }
  [header.hostname, header.appname, header.procid, header.msgid] = fields;
  if (!isSpace(text.charCodeAt(index))) return false;
  index = skipSpaces(text, index);
  const code = text.charCodeAt(index);
  if (code === DASH) {
    index++;
  } else if (code === OPEN_BRACKET) {
    const data = parseStructuredData(text, index);
    if (data === undefined) return false;
    header.structuredData = data.value;
    index = data.end;
  } else {
    return false;
  }
  if (index < text.length) {
    if (!isSpace(text.charCodeAt(index))) return false;
    index++;
    if (text.charCodeAt(index) === BOM) index++;
    header.message = trimmed(text, index);
  }
  return true;
}

/**
 * The TAG (`name[pid]:`) at `index` and the message after it. `spaced` allows a TAG with one
 * space in it (`syslogd 1.4.1: restart.`, `-- root[2421]: ROOT LOGIN ON tty2`), as the loghub
 * ground truth and old syslogds have them; without a TAG the whole rest is the message.
 */
function parseTag(text: string, index: number, header: SyslogHeader, spaced: boolean): void {
  const length = text.length;
  const tokenEnd = tokenEndAt(text, index);
  let colon = -1;
  if (tokenEnd > index && text.charCodeAt(tokenEnd - 1) === COLON) {
    colon = tokenEnd - 1;
  } else if (tokenEnd > index) {
    const inside = text.indexOf(':', index);
    if (inside > index && inside < tokenEnd && text.charCodeAt(inside + 1) !== 47) {
      colon = inside;
    } else if (spaced && tokenEnd < length) {
      const next = tokenEndAt(text, tokenEnd + 1);
      if (next > tokenEnd + 1 && next - index <= MAX_SPACED_TAG + 1 && text.charCodeAt(next - 1) === COLON && looksLikeTagPart(text, tokenEnd + 1, next - 1)) colon = next - 1;
    }
  }
  if (colon <= index) {
    header.message = trimmed(text, index);
    return;
  }
  let nameEnd = colon;
  if (text.charCodeAt(colon - 1) === CLOSE_BRACKET) {
    const open = text.lastIndexOf('[', colon - 2);
    if (open >= index) {
      nameEnd = open;
      if (colon - 1 > open + 1) header.procid = text.slice(open + 1, colon - 1);
    }
  }
  if (nameEnd > index) header.appname = text.slice(index, nameEnd);
  header.message = trimmed(text, skipSpaces(text, colon + 1));
}

/**
 * The second word of a spaced TAG holds a digit or a `[` (a version, a pid): prose such as
 * `Connection closed: ...` without a TAG stays message.
 */
function looksLikeTagPart(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (isDigit(code) || code === OPEN_BRACKET) return true;
  }
  return false;
}

/** RFC 3164 `Mmm dd hh:mm:ss` (optionally `.fff`, optionally a year before the time) or RFC 3339; the index after it, or -1. */
function parseTimestamp(text: string, index: number, header: SyslogHeader, resolution: Resolution): number {
  if (isDigit(text.charCodeAt(index))) return parseIso(text, index, header, resolution);
  const month = monthAt(text, index);
  if (month === undefined || text.charCodeAt(index + 3) !== SPACE) return -1;
  let at = index + 4;
  if (text.charCodeAt(at) === SPACE) at++;
  let day = digitAt(text, at);
  if (day < 0) return -1;
  at++;
  const second = digitAt(text, at);
  if (second >= 0) {
    day = day * 10 + second;
    at++;
  }
  if (text.charCodeAt(at) !== SPACE) return -1;
  at++;
  let year = Number.NaN;
  if (isDigit(text.charCodeAt(at + 2)) && text.charCodeAt(at + 4) === SPACE) {
    year = number(text, at, 4);
    at += 5;
  }
  const hour = number(text, at, 2);
  const minute = number(text, at + 3, 2);
  const sec = number(text, at + 6, 2);
  if (text.charCodeAt(at + 2) !== COLON || text.charCodeAt(at + 5) !== COLON || Number.isNaN(hour + minute + sec)) return -1;
  at += 8;
  let ms = 0;
  if (text.charCodeAt(at) === 46 || text.charCodeAt(at) === 44) {
    const fraction = readFraction(text, at + 1);
    if (fraction.end === at + 1) return -1;
    ms = fraction.ms;
    at = fraction.end;
  }
  if (at < text.length && !isSpace(text.charCodeAt(at))) return -1;
  if (hour > 23 || minute > 59 || sec > 60) return -1;
  if (Number.isNaN(year)) year = resolution.yearFor(month, day, hour, minute, sec, ms);
  const dayStart = dayStartOf(year, month, day);
  if (Number.isNaN(dayStart)) return -1;
  header.time = resolution.zone.toUtc(dayStart + hour * 3_600_000 + minute * 60_000 + Math.min(sec, 59) * 1000 + ms);
  return at;
}

// The wall-clock start of the last day seen: consecutive messages nearly always share it.
let lastDayKey = -1;
let lastDayStart = Number.NaN;

/** Date.UTC of a valid date's midnight, NaN for an invalid date. */
function dayStartOf(year: number, month: number, day: number): number {
  const key = year * 512 + month * 32 + day;
  if (key !== lastDayKey) {
    lastDayStart = validDate(year, month, day) ? Date.UTC(year, month - 1, day) : Number.NaN;
    lastDayKey = key;
  }
  return lastDayStart;
}

/** RFC 3339 `yyyy-mm-ddThh:mm:ss[.f][Z|+hh:mm]`; without a zone, the resolution's. The index after it, or -1. */
function parseIso(text: string, index: number, header: SyslogHeader, resolution: Resolution): number {
  const year = number(text, index, 4);
  const month = number(text, index + 5, 2);
  const day = number(text, index + 8, 2);
  const separator = text.charCodeAt(index + 10);
  const hour = number(text, index + 11, 2);
  const minute = number(text, index + 14, 2);
  const second = number(text, index + 17, 2);
  if (
    Number.isNaN(year + month + day + hour + minute + second) ||
    text.charCodeAt(index + 4) !== DASH ||
    text.charCodeAt(index + 7) !== DASH ||
    (separator !== 84 && separator !== 116) ||
    text.charCodeAt(index + 13) !== COLON ||
    text.charCodeAt(index + 16) !== COLON ||
    !validDate(year, month, day) ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  ) {
    return -1;
  }
  let at = index + 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    const fraction = readFraction(text, at + 1);
    if (fraction.end === at + 1) return -1;
    ms = fraction.ms;
    at = fraction.end;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  const zone = text.charCodeAt(at);
  let time: number;
  if (zone === 90 || zone === 122) {
    time = local;
    at++;
  } else if (zone === 43 || zone === DASH) {
    const offsetHours = number(text, at + 1, 2);
    const withColon = text.charCodeAt(at + 3) === COLON;
    const offsetMinutes = number(text, at + (withColon ? 4 : 3), 2);
    if (Number.isNaN(offsetHours + offsetMinutes)) return -1;
    time = local - (zone === DASH ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
    at += withColon ? 6 : 5;
  } else {
    time = resolution.zone.toUtc(local);
  }
  if (at < text.length && !isSpace(text.charCodeAt(at))) return -1;
  header.time = time;
  return at;
}

/** Milliseconds of the digits at `start` (any count; beyond three they are cut, not rounded). */
function readFraction(text: string, start: number): { ms: number; end: number } {
  let end = start;
  let ms = 0;
  while (isDigit(text.charCodeAt(end))) {
    if (end - start < 3) ms = ms * 10 + text.charCodeAt(end) - 48;
    end++;
  }
  const count = end - start;
  if (count === 1) ms *= 100;
  else if (count === 2) ms *= 10;
  return { ms, end };
}

function number(text: string, index: number, count: number): number {
  let value = 0;
  for (let offset = 0; offset < count; offset++) {
    const code = text.charCodeAt(index + offset) - 48;
    // Past the end charCodeAt is NaN, which no comparison lets through.
    if (!(code >= 0 && code <= 9)) return Number.NaN;
    value = value * 10 + code;
  }
  return value;
}

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB;
}

function skipSpaces(text: string, index: number): number {
  let at = index;
  while (isSpace(text.charCodeAt(at))) at++;
  return at;
}

/**
 * The index of the first space at or after `index`, or the end. Header fields are separated by
 * spaces (RFC 3164 and 5424 alike); the native search is several times faster than a loop.
 */
function tokenEndAt(text: string, index: number): number {
  const end = text.indexOf(' ', index);
  return end === -1 ? text.length : end;
}

/** The text from `start`, without trailing whitespace (the loghub files carry trailing spaces and CRs). */
function trimmed(text: string, start: number): string {
  let end = text.length;
  while (end > start && text.charCodeAt(end - 1) <= SPACE) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
