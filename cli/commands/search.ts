import type { Command } from 'commander';
import { FaultlineError } from '../../core/errors.ts';
import { getField, type FaultlineEvent } from '../../core/event/types.ts';
import { FieldTypes } from '../../query/api/field-types.ts';
import { DEFAULT_FROM, resolveRange } from '../../query/api/params.ts';
import { openStore } from '../../store/open.ts';
import { commandLogger, loadCommandConfig } from '../context.ts';

interface SearchOptions {
  config?: string;
  from?: string;
  to?: string;
  size: string;
  json?: boolean;
  asc?: boolean;
}

/** One line per event: time, host, level, message, as people scan logs in a terminal. */
function line(event: FaultlineEvent): string {
  const host = getField(event, 'host.name');
  const level = getField(event, 'log.level');
  return [event['@timestamp'], typeof host === 'string' ? host : '-', typeof level === 'string' ? level : '-', String(event.message ?? '')].join('  ');
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('search stored events with the query language (docs/query-language.md)')
    .argument('[query]', "query text, e.g. 'log.level:error and host.name:web-*' (empty: everything)", '')
    .option('-c, --config <file>', 'configuration file (default: ./faultline.yaml, or FAULTLINE_CONFIG)')
    .option('--from <time>', `start: ISO 8601, epoch ms, or now-15m (default ${DEFAULT_FROM})`)
    .option('--to <time>', 'end (default now)')
    .option('-n, --size <count>', 'at most this many events', '100')
    .option('--asc', 'oldest first (default newest first)')
    .option('--json', 'print events as NDJSON')
    .action(async (text: string, options: SearchOptions) => {
      const size = Number(options.size);
      if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new FaultlineError('FL_ERR_USAGE', `--size: expected a whole number from 1 to 10000, got '${options.size}'`);
      const { config } = loadCommandConfig(options);
      const store = await openStore(config.store, { logger: commandLogger(config) });
      try {
        const { query, range } = await resolveRange({ q: text, from: options.from, to: options.to }, new FieldTypes(store));
        const result = await store.search({ query, range, size, sort: options.asc ? 'asc' : 'desc' });
        for (const event of result.events) process.stdout.write(`${options.json ? JSON.stringify(event) : line(event)}\n`);
        const shown = result.events.length;
        const total = `${result.total.relation === 'gte' ? 'at least ' : ''}${result.total.value}`;
        process.stderr.write(`${shown} shown of ${total} matching between ${new Date(range.from).toISOString()} and ${new Date(range.to).toISOString()}\n`);
      } finally {
        await store.close();
      }
    });
}
