/**
 * Fixture files: YAML that names a pipeline (or holds inline processors), input lines or objects,
 * and the exact events they must become. `npm test` runs the built-ins' fixtures
 * (pipelines/builtin/fixtures/<id>/*.yaml, see fixtures.test.ts), `faultline pipeline test [dir]`
 * runs any directory of them, and the processor examples of docs/pipelines.md are fixtures too.
 *
 *   pipeline: syslog                     # or `processors: [...]`; default: the directory's name
 *   now: 2026-11-23T12:00:00Z            # the clock, for year inference and {{_ingest.timestamp}}
 *   context: {event: {timezone: UTC}}    # merged into every input, as a source would
 *   cases:
 *     - name: sshd login
 *       line: 'Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 1.2.3.4 port 49116 ssh2'
 *       event: {...}                     # or `dropped: true`
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { parseWithSchema } from '../core/config/schema-errors.ts';
import { parseYamlSource, positionOf } from '../core/config/source.ts';
import { describeError, FaultlineError } from '../core/errors.ts';
import { leafFields, type JsonObject, type JsonValue } from '../core/event/types.ts';
import { validateEvent } from '../core/event/validate.ts';
import type { PipelineSet } from './engine/load/pipeline-set.ts';
import type { PipelineInput } from './engine/pipeline.ts';
import type { PipelineText } from './index.ts';

/** The id an inline fixture pipeline (`processors:`) is loaded under. */
export const INLINE_ID = 'fixture';

/** The clock of fixtures that set none: the tests' reference "now". */
export const DEFAULT_FIXTURE_NOW = '2026-11-23T12:00:00Z';

const object = z.record(z.string(), z.json());

const caseSchema = z
  .strictObject({
    name: z.string().min(1),
    line: z.string().optional(),
    object: object.optional(),
    context: object.optional(),
    event: object.optional(),
    dropped: z.literal(true).optional(),
  })
  .refine((item) => (item.line === undefined) !== (item.object === undefined), 'a case has exactly one input: line or object')
  .refine((item) => (item.event === undefined) !== (item.dropped === undefined), 'a case has exactly one expectation: event or dropped: true');

const fileSchema = z
  .strictObject({
    pipeline: z.string().min(1).optional(),
    processors: z.array(z.json()).min(1).optional(),
    description: z.string().optional(),
    now: z.iso.datetime({ offset: true }).default(DEFAULT_FIXTURE_NOW),
    context: object.optional(),
    cases: z.array(caseSchema).min(1),
  })
  .refine((file) => file.pipeline === undefined || file.processors === undefined, 'a fixture names a pipeline or holds processors, not both');

export interface FixtureCase {
  readonly name: string;
  /** `file:line` of the case, for reports. */
  readonly where: string;
  readonly input: PipelineInput;
  readonly context: JsonObject | undefined;
  /** The exact event, or null when the case expects the event to be dropped. */
  readonly expected: JsonObject | null;
}

export interface FixtureFile {
  readonly file: string;
  /** The pipeline id, or undefined for inline processors. */
  readonly pipeline: string | undefined;
  readonly processors: readonly JsonValue[] | undefined;
  readonly now: number;
  readonly cases: readonly FixtureCase[];
}

export interface CaseResult {
  readonly file: string;
  readonly where: string;
  readonly pipeline: string;
  readonly name: string;
  readonly passed: boolean;
  /** What differs (`- path: expected`, `+ path: got`), or why the case could not run. */
  readonly problems: readonly string[];
  readonly event: JsonObject | null;
}

/** Parses one fixture file; FL_ERR_PIPELINE_INVALID names file, line and key of a mistake. */
export function parseFixture(file: string, text: string): FixtureFile {
  const source = parseYamlSource(file, text, 'FL_ERR_PIPELINE_INVALID');
  const data = parseWithSchema(fileSchema, source.document.toJS({ maxAliasCount: 100 }), source, { code: 'FL_ERR_PIPELINE_INVALID' });
  const pipeline = data.processors === undefined ? (data.pipeline ?? basename(dirname(file))) : undefined;
  const cases = data.cases.map((item, index): FixtureCase => {
    const position = positionOf(source, ['cases', index]);
    return {
      name: item.name,
      where: position === undefined ? file : `${file}:${position.line}`,
      input: item.line ?? (item.object as JsonObject),
      context: data.context === undefined && item.context === undefined ? undefined : { ...data.context, ...item.context },
      expected: item.dropped ? null : (item.event as JsonObject),
    };
  });
  return { file, pipeline, processors: data.processors, now: Date.parse(data.now), cases };
}

/** Every `*.yaml`/`*.yml` file under the directory (recursively), in name order. */
export function readFixtureFiles(directory: string): FixtureFile[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      throw new FaultlineError('FL_ERR_CONFIG_UNREADABLE', `${dir}: cannot read the fixture directory: ${describeError(error)}`, { directory: dir });
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) found.push(path);
    }
  };
  walk(directory);
  return found.map((file) => parseFixture(file, readFileSync(file, 'utf8')));
}

export interface RunOptions {
  /**
   * Loads the pipelines that fixtures name, with the given clock; `extra` (an inline fixture's
   * pipeline) is loaded beside them, so that its `pipeline` processors can call them.
   */
  readonly load: (now: () => number, extra: readonly PipelineText[]) => PipelineSet;
  /** Paths in reports are shown relative to this directory. */
  readonly base?: string;
}

/**
 * Runs every case: the event must equal the expected one exactly (after a JSON round trip, as
 * it would be stored), and events of named pipelines must also pass the event catalogue's
 * validation (inline processors are fragments, not whole events).
 */
export function runFixtures(files: readonly FixtureFile[], options: RunOptions): CaseResult[] {
  // One set of the named pipelines per clock: compiled processors keep what they derived from it (years).
  const named = new Map<number, PipelineSet>();
  const results: CaseResult[] = [];
  for (const fixture of files) {
    const now = (): number => fixture.now;
    const file = options.base === undefined ? fixture.file : relative(options.base, fixture.file);
    const id = fixture.pipeline ?? INLINE_ID;
    let pipelines: PipelineSet;
    try {
      if (fixture.processors === undefined) {
        pipelines = named.get(fixture.now) ?? options.load(now, []);
        named.set(fixture.now, pipelines);
      } else {
        pipelines = options.load(now, [{ file: fixture.file, text: JSON.stringify({ id, processors: fixture.processors }) }]);
      }
      pipelines.get(id);
    } catch (error) {
      for (const item of fixture.cases) results.push({ file, where: item.where, pipeline: id, name: item.name, passed: false, problems: [describeError(error)], event: null });
      continue;
    }
    const pipeline = pipelines.get(id);
    for (const item of fixture.cases) {
      const input = typeof item.input === 'string' ? item.input : structuredClone(item.input);
      let event: JsonObject | null;
      try {
        event = pipeline.run(input, item.context);
      } catch (error) {
        results.push({ file, where: item.where, pipeline: id, name: item.name, passed: false, problems: [`the pipeline threw: ${describeError(error)}`], event: null });
        continue;
      }
      const stored = event === null ? null : (JSON.parse(JSON.stringify(event)) as JsonObject);
      const problems = difference(item.expected, stored);
      if (stored !== null && fixture.pipeline !== undefined) {
        const valid = validateEvent({ ...stored, event: { id: 'fixture', ...(stored['event'] as JsonObject | undefined) } });
        if (!valid.ok) problems.push(`! not a valid event: ${valid.reason}`);
      }
      results.push({ file, where: item.where, pipeline: id, name: item.name, passed: problems.length === 0, problems, event: stored });
    }
  }
  return results;
}

/** Field-by-field differences: `- path: expected value` and `+ path: actual value`. */
export function difference(expected: JsonObject | null, actual: JsonObject | null): string[] {
  if (expected === null || actual === null) {
    if (expected === actual) return [];
    return expected === null ? ['- (dropped)', `+ ${JSON.stringify(actual)}`] : [`- ${JSON.stringify(expected)}`, '+ (dropped)'];
  }
  const want = new Map(leafFields(expected));
  const got = new Map(leafFields(actual));
  const lines: string[] = [];
  for (const path of [...new Set([...want.keys(), ...got.keys()])].sort()) {
    const a = want.has(path) ? JSON.stringify(want.get(path)) : undefined;
    const b = got.has(path) ? JSON.stringify(got.get(path)) : undefined;
    if (a === b) continue;
    if (a !== undefined) lines.push(`- ${path}: ${a}`);
    if (b !== undefined) lines.push(`+ ${path}: ${b}`);
  }
  // Leaves agree but the shapes do not: an empty object on one side only.
  if (lines.length === 0 && !isDeepStrictEqual(expected, actual)) lines.push(`- ${JSON.stringify(expected)}`, `+ ${JSON.stringify(actual)}`);
  return lines;
}
