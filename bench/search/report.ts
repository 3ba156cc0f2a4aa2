/**
 * What the search benchmark found, per dataset size: the rows it keeps in bench/results/ and the
 * tables it prints, with each figure beside its target.
 */
import type { LoadReport } from './datasets.ts';
import { isSearch, type EsRequest } from './recorder.ts';
import type { DataRange, Hits, Latency, Shape, ShapeId } from './shapes.ts';

/** Issue 5: the embedded store's p95 for the term, phrase and filter shapes. */
export function embeddedTargetMs(events: number): number {
  return events <= 1_000_000 ? 100 : 500;
}

/** Issue 5: API overhead over direct Elasticsearch <= 10% + 5 ms. */
export function allowedApiMs(directMs: number): number {
  return directMs * 1.1 + 5;
}

export interface EmbeddedRow {
  shape: ShapeId;
  title: string;
  q: string;
  hits: Hits;
  api: Latency;
  target: { p95Ms: number; pass: boolean } | null;
}

export interface ElasticsearchRow {
  shape: ShapeId;
  title: string;
  hits: Hits;
  directHits: Hits;
  api: Latency;
  direct: Latency;
  /** Elasticsearch requests behind one API call: the searches replayed directly, and any others. */
  searches: number;
  otherRequests: string[];
  /** The search requests as the backend sent them (and the direct runs replayed them). */
  requests: { path: string; body: unknown }[];
  overhead: { p50Ms: number; p95Ms: number; pass: boolean };
}

export interface SizeResult {
  events: number;
  range: DataRange;
  rareWord: string;
  load: { embedded: LoadReport; elasticsearch: LoadReport };
  loadAverage: { embedded: number[]; elasticsearch: number[] };
  embedded: EmbeddedRow[];
  elasticsearch: ElasticsearchRow[];
}

export function embeddedRow(shape: Shape, events: number, hits: Hits, api: Latency): EmbeddedRow {
  const p95Ms = embeddedTargetMs(events);
  return { shape: shape.id, title: shape.title, q: shape.q, hits, api, target: shape.targeted ? { p95Ms, pass: api.p95 <= p95Ms } : null };
}

export function elasticsearchRow(shape: Shape, hits: Hits, directHits: Hits, api: Latency, direct: Latency, recorded: readonly EsRequest[]): ElasticsearchRow {
  const pass = api.p50 <= allowedApiMs(direct.p50) && api.p95 <= allowedApiMs(direct.p95);
  return {
    shape: shape.id,
    title: shape.title,
    hits,
    directHits,
    api,
    direct,
    searches: recorded.filter(isSearch).length,
    otherRequests: recorded.filter((request) => !isSearch(request)).map((request) => `${request.method} ${request.path.split('?')[0]}`),
    requests: recorded.filter(isSearch).map((request) => ({ path: request.path, body: request.body === '' ? null : (JSON.parse(request.body) as unknown) })),
    overhead: { p50Ms: api.p50 - direct.p50, p95Ms: api.p95 - direct.p95, pass },
  };
}

const count = (value: number) => value.toLocaleString('en-US');
const hits = (h: Hits) => `${h.relation === 'gte' ? '>= ' : ''}${count(h.value)}`;
const ms = (value: number) => value.toFixed(1);
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

export function describeSize(result: SizeResult): string {
  const lines: string[] = [];
  lines.push(`${count(result.events)} events from ${result.range.from} to ${result.range.to}; the rare word '${result.rareWord}' is in ${hits(result.embedded[0]?.hits ?? { value: 0, relation: 'eq' })} of them`);
  for (const [store, load] of Object.entries(result.load)) {
    lines.push(`  ${store}: ${load.reused ? 'dataset reused from an earlier run' : `loaded in ${(load.seconds ?? 0).toFixed(0)} s (${count(Math.round(load.rate ?? 0))} events/s)`}`);
  }
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  lines.push(`  load average when measuring began: embedded ${load(result.loadAverage.embedded)}, elasticsearch ${load(result.loadAverage.elasticsearch)}`);
  const target = embeddedTargetMs(result.events);
  lines.push('', `embedded store, through the API (latency in ms; target: p95 <= ${target} ms for the term, phrase and filter shapes)`);
  lines.push(
    table([
      ['shape', 'query', 'hits', 'runs', 'p50', 'p95', 'target'],
      ...result.embedded.map((row) => [row.title, row.q || '(all events)', hits(row.hits), String(row.api.runs), ms(row.api.p50), ms(row.api.p95), row.target ? verdict(row.target.pass) : '-']),
    ]),
  );
  if (result.elasticsearch.length === 0) return lines.join('\n');
  lines.push('', 'elasticsearch, through the API beside the same requests sent straight to Elasticsearch (ms; target: API <= direct + 10% + 5 ms at p50 and p95)');
  lines.push(
    table([
      ['shape', 'hits', 'runs', 'API p50', 'API p95', 'direct p50', 'direct p95', 'overhead p50', 'overhead p95', 'target'],
      ...result.elasticsearch.map((row) => [
        row.title,
        hits(row.hits),
        String(row.api.runs),
        ms(row.api.p50),
        ms(row.api.p95),
        ms(row.direct.p50),
        ms(row.direct.p95),
        signed(row.overhead.p50Ms),
        signed(row.overhead.p95Ms),
        verdict(row.overhead.pass),
      ]),
    ]),
  );
  for (const note of notes(result)) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** Disagreements worth a look: the stores or the replay counting other hits, extra Elasticsearch calls per API call. */
function notes(result: SizeResult): string[] {
  const out: string[] = [];
  for (const row of result.elasticsearch) {
    const embedded = result.embedded.find((other) => other.shape === row.shape);
    if (embedded && (embedded.hits.value !== row.hits.value || embedded.hits.relation !== row.hits.relation)) {
      out.push(`${row.title}: the embedded store counts ${hits(embedded.hits)} hits, Elasticsearch ${hits(row.hits)}`);
    }
    if (row.directHits.value !== row.hits.value) out.push(`${row.title}: the API answered ${hits(row.hits)} hits, the direct request ${hits(row.directHits)}`);
    if (row.searches !== 1) out.push(`${row.title}: one API call made ${row.searches} searches in Elasticsearch`);
    if (row.otherRequests.length > 0) out.push(`${row.title}: the API call also sent ${row.otherRequests.join(', ')} (not replayed)`);
  }
  return out;
}
