/**
 * The `faultline` command line. Each command registers itself from cli/commands/; every one takes
 * --config and --help. Errors print as one line and exit with 2 for bad input, 1 otherwise.
 */
import { Command, CommanderError } from 'commander';
import { registerConfig } from './commands/config.ts';
import { registerDlq } from './commands/dlq.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerPipeline } from './commands/pipeline.ts';
import { registerSearch } from './commands/search.ts';
import { registerServe } from './commands/serve.ts';
import { reportError, version } from './context.ts';

export function buildProgram(): Command {
  const program = new Command('faultline')
    .description('Faultline: collect, normalize, search and correlate logs')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServe(program);
  registerSearch(program);
  registerIngest(program);
  registerPipeline(program);
  registerConfig(program);
  registerDlq(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print and exit 0; usage errors were printed by commander already.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    reportError(error);
  }
}

await main(process.argv);
