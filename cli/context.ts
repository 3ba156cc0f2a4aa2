/** What every command shares: loading the configuration and reporting errors the same way. */
import { readFileSync } from 'node:fs';
import { loadConfig, type LoadedConfig, type LoadOptions } from '../core/config/load.ts';
import { describeError, isFaultlineError } from '../core/errors.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { projectFile } from '../core/paths.ts';

export const version: string = (JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version: string }).version;

export function loadCommandConfig(options: { config?: string }, overrides: LoadOptions['overrides'] = []): LoadedConfig {
  return loadConfig({ file: options.config, overrides });
}

/** The server logs at the configured level; one-shot commands only warn, unless debugging. */
export function commandLogger(config: LoadedConfig['config'], options: { quiet?: boolean } = { quiet: true }): Logger {
  const level = config.log.level;
  return createLogger(options.quiet && level !== 'debug' && level !== 'error' ? 'warn' : level);
}

/** Prints an error as one line (a stack trace only with FAULTLINE_DEBUG) and sets the exit status. */
export function reportError(error: unknown): void {
  process.stderr.write(`faultline: ${describeError(error)}\n`);
  if (process.env['FAULTLINE_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = isFaultlineError(error) ? error.exitCode : 1;
}
