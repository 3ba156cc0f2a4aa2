import { Option, type Command } from 'commander';
import { backfill } from '../../ingest/backfill.ts';
import { backfillDelivery } from '../../ingest/config.ts';
import { loadConfiguredPipelines } from '../../pipelines/index.ts';
import { pipelineParseResolver } from '../../runtime/parse.ts';
import { openStore } from '../../store/open.ts';
import { commandLogger, loadCommandConfig } from '../context.ts';

interface IngestOptions {
  config?: string;
  pipeline?: string;
  format?: 'lines' | 'ndjson' | 'json_array';
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('read files once into the store, with a progress bar; files already read are skipped (checkpoints)')
    .argument('<globs...>', "files to read, e.g. '/var/log/nginx/*.log' (quote globs); .gz files are read whole")
    .option('-c, --config <file>', 'configuration file (default: ./faultline.yaml, or FAULTLINE_CONFIG)')
    .option('-p, --pipeline <id>', 'pipeline that parses each line (e.g. syslog, nginx-access); default: the line becomes message')
    .addOption(new Option('--format <format>', 'how the files are written: text lines, NDJSON, or one JSON array').choices(['lines', 'ndjson', 'json_array']).default('lines'))
    .action(async (globs: string[], options: IngestOptions) => {
      const { config } = loadCommandConfig(options);
      const logger = commandLogger(config);
      const pipelines = loadConfiguredPipelines(config.pipelines.dir);
      const resolveParse = pipelineParseResolver(pipelines);
      // Resolve the pipeline before opening anything, so a wrong id fails at once with the valid ids.
      resolveParse(options.pipeline);
      const store = await openStore(config.store, { logger });
      const abort = new AbortController();
      const interrupt = () => abort.abort();
      process.once('SIGINT', interrupt);
      try {
        const summary = await backfill({
          globs,
          pipeline: options.pipeline,
          store,
          dataDir: config.store.path,
          delivery: backfillDelivery(config.ingest),
          resolveParse,
          file: options.format ? { format: options.format } : {},
          logger,
          signal: abort.signal,
        });
        process.stderr.write(
          `${summary.files} file(s), ${summary.lines} lines, ${summary.bytes} bytes in ${(summary.elapsedMs / 1000).toFixed(1)} s: ` +
            `${summary.stored} stored, ${summary.duplicate} already stored, ${summary.rejected} rejected (faultline dlq list), ${summary.spooled} spooled\n`,
        );
        if (summary.rejected > 0) process.exitCode = 1;
      } finally {
        process.off('SIGINT', interrupt);
        await store.close();
      }
    });
}
