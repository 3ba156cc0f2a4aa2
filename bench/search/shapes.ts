/**
 * The six query shapes of the search benchmark, with the values they look for taken from the
 * loaded data, and how they are timed: warm-up runs, then repetitions until the count or the time
 * budget is reached, several runners interleaved so they share the same moments of a busy machine.
 */

export type ShapeId = 'rare-term' | 'common-term' | 'phrase' | 'filter-range' | 'wildcard' | 'histogram';

export interface Shape {
  id: ShapeId;
  title: string;
  /** The query as typed into the search bar. */
  q: string;
  route: 'search' | 'histogram';
  /** The embedded store's p95 target covers the term, phrase and filter shapes. */
  targeted: boolean;
}

/** The whole time span of the dataset, as the API takes it. */
export interface DataRange {
  from: string;
  to: string;
}

export interface Hits {
  value: number;
  relation: 'eq' | 'gte';
}

export interface Plan {
  warmup: number;
  reps: number;
  /** A shape stops repeating after this long, once it has `minReps` runs. */
  budgetMs: number;
  minReps: number;
}

/** Events per search page, the API's default, set explicitly so the figure says what it measured. */
const PAGE_SIZE = '100';
const HISTOGRAM_BUCKETS = '60';
const DAY_MS = 86_400_000;

export async function apiGet(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

interface SearchAnswer {
  total: Hits;
  events: Record<string, unknown>[];
}

async function firstEvent(api: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const answer = JSON.parse(await apiGet(`${api}/api/search?${new URLSearchParams({ size: '1', ...params })}`)) as SearchAnswer;
  const event = answer.events[0];
  if (!event) throw new Error(`no event answers ${JSON.stringify(params)}: is the dataset loaded?`);
  return event;
}

/** Whole UTC days from the oldest event to the newest. */
export async function dataRange(api: string): Promise<DataRange> {
  const everything = { from: '1970-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z', fields: '@timestamp' };
  const oldest = Date.parse(String((await firstEvent(api, { ...everything, sort: 'asc' }))['@timestamp']));
  const newest = Date.parse(String((await firstEvent(api, { ...everything, sort: 'desc' }))['@timestamp']));
  return { from: new Date(Math.floor(oldest / DAY_MS) * DAY_MS).toISOString(), to: new Date(Math.ceil((newest + 1) / DAY_MS) * DAY_MS).toISOString() };
}

/**
 * A word of one event's message that few others share: the key fingerprint suffix of an accepted
 * ssh login (`RSA SHA256:x12345`), which the generator numbers per batch of 50,000 events, so it
 * recurs at most once per batch. The event is the first such login after the middle of the range.
 */
export async function rareWord(api: string, range: DataRange): Promise<string> {
  const middle = new Date((Date.parse(range.from) + Date.parse(range.to)) / 2).toISOString();
  const event = await firstEvent(api, { q: '"accepted publickey"', from: middle, to: range.to, sort: 'asc', fields: 'message' });
  const word = /SHA256:(x\d+)/.exec(String(event['message']))?.[1];
  if (!word) throw new Error(`no key fingerprint in ${JSON.stringify(event['message'])}: has the dataset generator changed?`);
  return word;
}

export function shapes(rare: string): Shape[] {
  return [
    { id: 'rare-term', title: 'rare term', q: rare, route: 'search', targeted: true },
    { id: 'common-term', title: 'common term', q: 'password', route: 'search', targeted: true },
    { id: 'phrase', title: 'phrase', q: '"failed password for invalid user"', route: 'search', targeted: true },
    { id: 'filter-range', title: 'filter + range', q: 'host.name:web-1 and http.response.status_code >= 500', route: 'search', targeted: true },
    { id: 'wildcard', title: 'wildcard', q: 'host.name:web-*', route: 'search', targeted: false },
    { id: 'histogram', title: 'histogram', q: '', route: 'histogram', targeted: false },
  ];
}

export function shapeUrl(api: string, shape: Shape, range: DataRange): string {
  const params = new URLSearchParams({ q: shape.q, from: range.from, to: range.to });
  if (shape.route === 'search') params.set('size', PAGE_SIZE);
  else params.set('buckets', HISTOGRAM_BUCKETS);
  return `${api}/api/${shape.route}?${params}`;
}

/** The hits an API answer reports: a search's total, a histogram's sum over its buckets. */
export function apiHits(answer: string): Hits {
  const parsed = JSON.parse(answer) as { total?: Hits; buckets?: { count: number }[] };
  if (parsed.total) return parsed.total;
  return { value: (parsed.buckets ?? []).reduce((sum, bucket) => sum + bucket.count, 0), relation: 'eq' };
}

/** The same from Elasticsearch's own answer to a search or a date histogram aggregation. */
export function elasticsearchHits(answer: string): Hits {
  const parsed = JSON.parse(answer) as { hits?: { total?: Hits }; aggregations?: { histogram?: { buckets: { doc_count: number }[] } } };
  const buckets = parsed.aggregations?.histogram?.buckets;
  if (buckets) return { value: buckets.reduce((sum, bucket) => sum + bucket.doc_count, 0), relation: 'eq' };
  return parsed.hits?.total ?? { value: 0, relation: 'gte' };
}

export interface Sampled {
  /** Each runner's answer to its first warm-up run, for the hit counts. */
  first: string[];
  /** Milliseconds of each runner's measured runs. */
  ms: number[][];
}

/**
 * Warm-up runs (up to a quarter of the budget: a slow shape warms up once), then measured runs;
 * the runners take turns, so they are measured side by side on a machine that may be busy.
 */
export async function sample(runners: (() => Promise<string>)[], plan: Plan): Promise<Sampled> {
  const warming = performance.now();
  const first: string[] = [];
  for (const runner of runners) first.push(await runner());
  for (let i = 1; i < plan.warmup && performance.now() - warming < plan.budgetMs / 4; i++) for (const runner of runners) await runner();
  const ms = runners.map((): number[] => []);
  const started = performance.now();
  for (let n = 0; n < plan.reps && (n < plan.minReps || performance.now() - started < plan.budgetMs); n++) {
    for (const [i, runner] of runners.entries()) {
      const at = performance.now();
      await runner();
      ms[i]?.push(performance.now() - at);
    }
  }
  return { first, ms };
}

export interface Latency {
  runs: number;
  p50: number;
  p95: number;
}

/** Nearest-rank percentiles. */
export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { runs: sorted.length, p50: rank(0.5), p95: rank(0.95) };
}
