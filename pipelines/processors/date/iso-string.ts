/**
 * Epoch milliseconds to `YYYY-MM-DDTHH:mm:ss.sssZ`, as Date#toISOString but several times faster:
 * no Date object, the date part is reused while events share a day (they nearly always do), and
 * the time of day is put together from precomputed two- and three-digit strings.
 */
const DAY_MS = 86_400_000;
const TWO = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));

let lastDay = Number.NaN;
let lastPrefix = '';

export function isoString(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastPrefix = datePrefix(day);
    lastDay = day;
  }
  let rest = ms - day * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return `${lastPrefix}${TWO[hour] as string}:${TWO[minute] as string}:${TWO[second] as string}.${THREE[rest - second * 1000] as string}Z`;
}

/** `YYYY-MM-DDT` of a day since the epoch; years 0..9999 only (the date processor refuses others). Civil-from-days after H. Hinnant. */
function datePrefix(days: number): string {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${TWO[month] as string}-${TWO[day] as string}T`;
}
