import type { Command } from 'commander';
import { DEAD_LETTER_KIND } from '../../store/contract.ts';
import { openStore } from '../../store/open.ts';
import { commandLogger, loadCommandConfig } from '../context.ts';

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('events the store rejected, with the reason');
  dlq
    .command('list')
    .description('print dead letters as NDJSON: {id, reason, at, event}')
    .option('-c, --config <file>', 'configuration file (default: ./faultline.yaml, or FAULTLINE_CONFIG)')
    .option('-n, --limit <count>', 'at most this many', '100')
    .action(async (options: { config?: string; limit: string }) => {
      const { config } = loadCommandConfig(options);
      const store = await openStore(config.store, { logger: commandLogger(config) });
      try {
        const letters = await store.documents.list(DEAD_LETTER_KIND, { limit: Math.max(1, Number(options.limit) || 100) });
        for (const letter of letters) process.stdout.write(`${JSON.stringify({ id: letter.id, ...letter.doc })}\n`);
        if (letters.length === 0) process.stderr.write('no dead letters\n');
      } finally {
        await store.close();
      }
    });
}
