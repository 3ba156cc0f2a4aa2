/** Durations as users write them in config and rules: `500ms`, `30s`, `5m`, `2h`, `1d`, `1w`. */
export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d|w)$/;

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Milliseconds of a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
