import type { Command } from 'commander';
import { loadCommandConfig } from '../context.ts';

const SECRET_KEYS = new Set(['token', 'password', 'api_key']);

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the configuration and print it with defaults filled in (secrets hidden)')
    .option('-c, --config <file>', 'configuration file (default: ./faultline.yaml, or FAULTLINE_CONFIG)')
    .action((options: { config?: string }) => {
      const loaded = loadCommandConfig(options);
      process.stdout.write(`# ${loaded.file ?? 'no configuration file: defaults and environment'}\n`);
      process.stdout.write(`${JSON.stringify(loaded.config, (key, value: unknown) => (SECRET_KEYS.has(key) && value ? '********' : value), 2)}\n`);
    });
}
