/**
 * Time zones for the date processor: UTC, fixed offsets (`+02:00`) and IANA names through Intl
 * (no library).
 */
export interface Zone {
  readonly name: string;
  /** Offset from UTC in ms at an instant. */
  offsetAt(utcMs: number): number;
  /** The instant of a wall-clock time (as if UTC) in this zone; ambiguous times take the earlier offset. */
  toUtc(localMs: number): number;
}

const OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

export const utc: Zone = { name: 'UTC', offsetAt: () => 0, toUtc: (local) => local };

/** A zone by name, or undefined when Intl does not know it. */
export function zoneNamed(name: string): Zone | undefined {
  if (name === 'UTC' || name === 'Z' || name === 'GMT' || name === 'Etc/UTC') return utc;
  const fixed = OFFSET.exec(name);
  if (fixed !== null) {
    const offset = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000;
    return { name, offsetAt: () => offset, toUtc: (local) => local - offset };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  return intlZone(name, format);
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One year of a zone's offsets: the instants where the offset changes, and the offsets from each. */
interface YearTable {
  readonly starts: readonly number[];
  readonly offsets: readonly number[];
}

/**
 * IANA zones through Intl. formatToParts costs microseconds, so each UTC year is probed once
 * (daily, then to the minute around each change) into a table of transitions; lookups after that
 * are a short scan.
 */
function intlZone(name: string, format: Intl.DateTimeFormat): Zone {
  const compute = (utcMs: number): number => {
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(utcMs)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
    const local = Date.UTC(fields['year'] as number, (fields['month'] as number) - 1, fields['day'], fields['hour'], fields['minute'], fields['second']);
    return local - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  };
  const tables = new Map<number, YearTable>();
  const table = (year: number): YearTable => {
    let found = tables.get(year);
    if (found !== undefined) return found;
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    const starts = [start];
    const offsets = [compute(start)];
    for (let day = start + DAY_MS; day <= end; day += DAY_MS) {
      const offset = compute(Math.min(day, end - 1));
      if (offset === offsets[offsets.length - 1]) continue;
      // Narrow the change down to the minute.
      let low = day - DAY_MS;
      let high = Math.min(day, end - 1);
      while (high - low > MINUTE_MS) {
        const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
        if (compute(middle) === offsets[offsets.length - 1]) low = middle;
        else high = middle;
      }
      starts.push(high);
      offsets.push(offset);
    }
    found = { starts, offsets };
    if (tables.size >= 64) tables.clear();
    tables.set(year, found);
    return found;
  };
  // The last segment found: consecutive events nearly always fall in it.
  let segmentStart = 0;
  let segmentEnd = -1;
  let segmentOffset = 0;
  const offsetAt = (utcMs: number): number => {
    if (utcMs >= segmentStart && utcMs < segmentEnd) return segmentOffset;
    const year = new Date(utcMs).getUTCFullYear();
    const { starts, offsets } = table(year);
    let index = starts.length - 1;
    while (index > 0 && utcMs < (starts[index] as number)) index--;
    segmentStart = starts[index] as number;
    segmentEnd = starts[index + 1] ?? Date.UTC(year + 1, 0, 1);
    segmentOffset = offsets[index] as number;
    return segmentOffset;
  };
  return {
    name,
    offsetAt,
    toUtc: (local) => {
      const first = local - offsetAt(local);
      return local - offsetAt(first);
    },
  };
}
