/**
 * `faultline pipeline list|test|simulate`: the loaded pipelines (built-ins and `pipelines.dir`),
 * their fixture files run case by case with a diff, and sample input run through one pipeline
 * with what each processor did.
 *
 *   faultline pipeline test                       # the built-ins' fixtures
 *   faultline pipeline test ./pipelines/fixtures  # yours, against built-ins + pipelines.dir
 *   tail -n 5 /var/log/syslog | faultline pipeline simulate syslog
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { JsonValue } from '../../core/event/types.ts';
import { FaultlineError, describeError } from '../../core/errors.ts';
import { readFixtureFiles, runFixtures, type CaseResult } from '../../pipelines/fixtures.ts';
import { BUILTIN_FIXTURES_DIRECTORY, isBuiltin, loadConfiguredPipelines, simulate, type PipelineSet, type SimulationResult, type TraceEntry } from '../../pipelines/index.ts';
import type { LoadOptions } from '../../pipelines/engine/load/loader.ts';
import { loadCommandConfig } from '../context.ts';

interface ConfigOption {
  config?: string;
}

const CONFIG_FLAG = ['-c, --config <file>', 'configuration file (default: ./faultline.yaml, or FAULTLINE_CONFIG)'] as const;

/** Built-ins plus the configured `pipelines.dir`. */
function loadPipelines(options: ConfigOption, load: Omit<LoadOptions, 'registry'> = {}): PipelineSet {
  const { config } = loadCommandConfig(options);
  return loadConfiguredPipelines(config.pipelines.dir, load);
}

export function registerPipeline(program: Command): void {
  const command = program.command('pipeline').description('list, test and simulate pipelines (docs/pipelines.md)');

  command
    .command('list')
    .description('list the loaded pipelines: built-ins and those of pipelines.dir')
    .option(...CONFIG_FLAG)
    .option('--json', 'print JSON')
    .action((options: ConfigOption & { json?: boolean }) => {
      const pipelines = loadPipelines(options).list();
      const rows = pipelines.map((pipeline) => ({ id: pipeline.id, processors: pipeline.steps.length, builtin: isBuiltin(pipeline), file: pipeline.file, description: pipeline.description ?? null }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rows.map((row) => row.id.length));
      for (const row of rows) process.stdout.write(`${row.id.padEnd(width)}  ${String(row.processors).padStart(3)} processors  ${row.builtin ? 'built-in' : row.file}\n`);
    });

  command
    .command('test')
    .description('run fixture files (input lines -> exact events) and print pass or fail per case, with a diff; exit 1 on failure')
    .argument('[dir]', 'directory of fixture files, searched recursively (default: the built-ins\' fixtures)')
    .option(...CONFIG_FLAG)
    .option('-v, --verbose', 'also list the cases that pass')
    .action((dir: string | undefined, options: ConfigOption & { verbose?: boolean }) => {
      const directory = dir ?? BUILTIN_FIXTURES_DIRECTORY;
      const files = readFixtureFiles(directory);
      if (files.length === 0) throw new FaultlineError('FL_ERR_USAGE', `${directory}: no fixture files (*.yaml) found`);
      const { config } = loadCommandConfig(options);
      const results = runFixtures(files, { load: (now, extra) => loadConfiguredPipelines(config.pipelines.dir, { now, extra, timingSampleRate: 1 }), base: directory });
      for (const result of results) {
        if (result.passed && !options.verbose) continue;
        process.stdout.write(formatResult(result));
      }
      const failed = results.filter((result) => !result.passed).length;
      process.stdout.write(`${results.length - failed} passed, ${failed} failed (${files.length} files in ${directory})\n`);
      if (failed > 0) process.exitCode = 1;
    });

  command
    .command('simulate')
    .description('run lines through a pipeline and print each event with what each processor added, changed and removed')
    .argument('<id>', 'pipeline id, e.g. syslog')
    .argument('[file]', 'file of input lines (default: standard input)')
    .option(...CONFIG_FLAG)
    .option('--events', 'the input is NDJSON objects (as the HTTP input receives them), not raw lines')
    .option('--context <json>', 'fields a source would add, e.g. \'{"event":{"timezone":"Europe/Paris"}}\'')
    .option('--all', 'also list the processors whose condition did not hold')
    .option('--json', 'print one JSON result per input: {"event", "trace", "error"}')
    .action((id: string, file: string | undefined, options: ConfigOption & { events?: boolean; context?: string; all?: boolean; json?: boolean }) => {
      const pipeline = loadPipelines(options).get(id);
      const text = readInput(file);
      const lines = text.split('\n').filter((line) => line.replace(/\r$/, '') !== '');
      const inputs = options.events ? lines.map((line, index) => parseObject(line, `${file ?? 'stdin'}:${index + 1}`)) : lines;
      const context = options.context === undefined ? undefined : parseObject(options.context, '--context');
      const results = simulate(pipeline, inputs, context);
      results.forEach((result, index) => {
        process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatSimulation(lines[index] as string, index + 1, result, options.all ?? false));
      });
    });
}

function readInput(file: string | undefined): string {
  try {
    return readFileSync(file ?? 0, 'utf8');
  } catch (error) {
    throw new FaultlineError('FL_ERR_USAGE', `${file ?? 'standard input'}: cannot read: ${describeError(error)}`);
  }
}

function parseObject(text: string, where: string): { [key: string]: JsonValue } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FaultlineError('FL_ERR_USAGE', `${where}: not valid JSON: ${describeError(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FaultlineError('FL_ERR_USAGE', `${where}: expected a JSON object`);
  return value as { [key: string]: JsonValue };
}

function formatResult(result: CaseResult): string {
  const line = /:(\d+)$/.exec(result.where)?.[1];
  const head = `${result.passed ? 'ok  ' : 'FAIL'} ${result.file}${line === undefined ? '' : `:${line}`}  ${result.pipeline}: ${result.name}\n`;
  return head + result.problems.map((line) => `       ${line}\n`).join('');
}

const STATUS: Record<TraceEntry['status'], string> = { ok: 'ok', failed: 'FAILED', ignored_failure: 'failed (ignored)', dropped: 'dropped', skipped: 'skipped' };

/** One input: the line, one row per processor with its changes, then the event. */
export function formatSimulation(line: string, number: number, result: SimulationResult, all: boolean): string {
  const out: string[] = [`# ${number}: ${line.length > 120 ? `${line.slice(0, 117)}...` : line}`];
  let skipped = 0;
  for (const entry of result.trace) {
    if (entry.status === 'skipped' && !all) {
      skipped++;
      continue;
    }
    const name = `${'  '.repeat(entry.depth)}${entry.path} ${entry.processor}${entry.tag === undefined ? '' : `[${entry.tag}]`}`;
    const time = entry.time_us === undefined ? '' : `${entry.time_us.toFixed(1)}µs`;
    out.push(`  ${name.padEnd(40)} ${STATUS[entry.status].padEnd(16)} ${time.padStart(9)}`);
    if (entry.error !== undefined) out.push(`      ! ${entry.error}`);
    for (const [path, value] of Object.entries(entry.added ?? {})) out.push(`      + ${path}: ${JSON.stringify(value)}`);
    for (const [path, change] of Object.entries(entry.changed ?? {})) out.push(`      ~ ${path}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`);
    for (const path of entry.removed ?? []) out.push(`      - ${path}`);
  }
  if (skipped > 0) out.push(`  (${skipped} processors skipped: their condition did not hold; --all lists them)`);
  out.push(result.event === null ? '  => dropped' : `  => ${JSON.stringify(result.event)}`);
  if (result.error !== null) out.push(`  error: ${result.error}`);
  return `${out.join('\n')}\n\n`;
}
