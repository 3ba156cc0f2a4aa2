/** Histogram intervals: the smallest "nice" width that gives at most the wanted number of buckets. */
const NICE_INTERVALS_MS = [
  1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
  21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000, 2_592_000_000, 31_536_000_000,
];

export function chooseInterval(rangeMs: number, buckets: number): number {
  const wanted = rangeMs / Math.max(1, buckets);
  return NICE_INTERVALS_MS.find((interval) => interval >= wanted) ?? Math.ceil(wanted / 31_536_000_000) * 31_536_000_000;
}
