/**
 * How a wall-clock time without a year or zone becomes an instant: in a zone, with a fixed year
 * or the year inferred from "now". Shared by the `date` and `syslog` processors, so that RFC 3164
 * timestamps get the same year whichever of them parses the line.
 */
import { instant, validDate, type Resolution } from './formats.ts';
import type { Zone } from './zone.ts';

/** The widest UTC offset (Pacific/Kiritimati, +14:00). */
const ZONE_SPAN_MS = 14 * 3_600_000;
const DAY_MS = 86_400_000;
/** At most this many year decisions in a row without a look at the clock. */
const CLOCK_EVERY = 128;

export interface ResolutionOptions {
  readonly zone: Zone;
  /** Fixed year for timestamps without one, instead of inferring it. */
  readonly year: number | undefined;
  /** How far after "now" a year-less timestamp may be before it is taken for last year's, in ms. */
  readonly futureMarginMs: number;
  readonly now: () => number;
}

/**
 * Year-less timestamps get the newest year that does not put them more than the margin after
 * "now": a line from 31 December read on 1 January is last year's, one from a minute ago this
 * year's. Years already decided per month and day are kept while "now" stays within a minute.
 */
export function createResolution(options: ResolutionOptions): Resolution {
  const { zone, year: fixedYear, futureMarginMs: margin, now: clock } = options;
  let yearMinute = Number.NaN;
  let currentYear = 0;
  const inferred = new Map<number, number>();
  // The last decision, reused without reading the clock (a read costs up to 100 ns on virtual
  // machines) for up to CLOCK_EVERY events of the same month and day. Only a decided day is
  // kept, and a decision can change only for a line dated ahead of the clock, so staleness is
  // bounded by that many such lines.
  let lastKey = -1;
  let lastYear = 0;
  let sinceClock = 0;
  const resolution: Resolution = {
    zone,
    yearFor: (month, day, hour, minute, second, ms) => {
      if (fixedYear !== undefined) return fixedYear;
      const key = month * 32 + day;
      if (key === lastKey && ++sinceClock < CLOCK_EVERY) return lastYear;
      sinceClock = 0;
      lastKey = -1;
      const now = clock();
      const nowMinute = Math.floor(now / 60_000);
      if (nowMinute !== yearMinute) {
        currentYear = new Date(now + zone.offsetAt(now)).getUTCFullYear();
        yearMinute = nowMinute;
        inferred.clear();
      }
      const known = inferred.get(key);
      if (known !== undefined) {
        lastKey = key;
        lastYear = known;
        return known;
      }
      const limit = now + margin;
      // Newest first: next year (late December "now", early January line) down to a few years back (29 February).
      for (let year = currentYear + 1; year >= currentYear - 8; year--) {
        if (!validDate(year, month, day)) continue;
        // Wall-clock time is within 14 hours of the instant: compare exactly only near the limit.
        const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
        if (wall - ZONE_SPAN_MS > limit) continue;
        if (wall + ZONE_SPAN_MS <= limit || instant(resolution, year, month, day, hour, minute, second, ms, undefined) <= limit) {
          // The whole day is decided when it lies well before the limit and a year later well after it.
          const dayStart = Date.UTC(year, month - 1, day);
          if (dayStart + DAY_MS + ZONE_SPAN_MS <= limit && Date.UTC(year + 1, month - 1, day) - ZONE_SPAN_MS > limit) inferred.set(key, year);
          return year;
        }
      }
      return currentYear;
    },
  };
  return resolution;
}
