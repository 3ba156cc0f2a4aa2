import type { Command } from 'commander';
import { FaultlineError } from '../../core/errors.ts';
import { startServer } from '../../runtime/serve.ts';
import { commandLogger, loadCommandConfig, version } from '../context.ts';

interface ServeOptions {
  config?: string;
  host?: string;
  port?: string;
  data?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the configured inputs and the API server')
    .option('-c, --config <file>', 'configuration file (default: ./faultline.yaml, or FAULTLINE_CONFIG)')
    .option('--host <address>', 'address to listen on (server.host, default 127.0.0.1)')
    .option('--port <number>', 'port to listen on (server.port, default 8080; 0 picks a free one)')
    .option('--data <dir>', 'data directory (store.path, default ./data)')
    .action(async (options: ServeOptions) => {
      const overrides = [];
      if (options.host !== undefined) overrides.push({ path: ['server', 'host'], value: options.host, flag: '--host' });
      if (options.port !== undefined) {
        if (!/^\d+$/.test(options.port)) throw new FaultlineError('FL_ERR_USAGE', `--port: expected a number from 0 to 65535, got '${options.port}'`);
        overrides.push({ path: ['server', 'port'], value: Number(options.port), flag: '--port' });
      }
      if (options.data !== undefined) overrides.push({ path: ['store', 'path'], value: options.data, flag: '--data' });
      const { config, file } = loadCommandConfig(options, overrides);
      const logger = commandLogger(config, { quiet: false });
      const server = await startServer(config, logger, version);
      const where = config.store.type === 'embedded' ? config.store.path : 'elasticsearch';
      logger.info(`Faultline ${version} listening on ${server.url}`, { store: config.store.type, data: where, config: file ?? '(defaults)' });
      if (config.inputs.length > 0) logger.info(`ingesting from ${config.inputs.length} input(s)`, { pipelines: server.pipelines.ids().length });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info('shutting down', { signal });
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error('shutdown failed', { reason: error instanceof Error ? error.message : String(error) });
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
