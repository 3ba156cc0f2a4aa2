/**
 * Progress of a long load, watched from outside the loader: `count` asks the target store how
 * many events it holds, every few seconds, until the load settles. A bar on a terminal, a line
 * every 15 s otherwise (a log file).
 */
import cliProgress from 'cli-progress';

const POLL_MS = 2000;

export async function withProgress<T>(label: string, total: number, count: () => Promise<number>, load: Promise<T>): Promise<T> {
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {percentage}% | {value}/{total} events | {rate}/s | ETA {eta_formatted}`,
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? value.toLocaleString('en-US') : String(value)),
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 15_000,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: 0 });
  const update = async () => {
    // The store may not exist yet, or be busy: progress is best effort, the load decides.
    const value = await count().catch(() => undefined);
    if (value !== undefined) bar.update(value, { rate: Math.round(value / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString('en-US') });
  };
  const timer = setInterval(() => void update(), POLL_MS);
  try {
    const result = await load;
    await update();
    return result;
  } finally {
    clearInterval(timer);
    bar.stop();
  }
}
