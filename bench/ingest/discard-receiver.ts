/**
 * Syslog receive and parse alone: the ingest of `faultline serve` (startIngest: the TCP syslog
 * listener, framing, the `syslog` pipeline, delivery's queue and batches) in front of a store
 * that acknowledges every event as stored and keeps nothing. Faultline has no such store type,
 * so the benchmark brings one. Logs `discarded events=N` once N events went by.
 *
 *   node bench/ingest/discard-receiver.ts <expected events> <data dir>
 */
import { createLogger } from '../../core/log.ts';
import { ingestInputConfigSchema } from '../../ingest/config.ts';
import { startIngest } from '../../ingest/runtime.ts';
import { memoryStore } from '../../ingest/testing/stores.ts';
import { loadConfiguredPipelines } from '../../pipelines/index.ts';
import { pipelineParseResolver } from '../../runtime/parse.ts';
import { STORED, type Store, type WriteOutcome } from '../../store/contract.ts';
import { delegateStore } from '../../store/delegate.ts';

const [expectedText, dataDir] = process.argv.slice(2);
const expected = Number(expectedText);
if (!Number.isInteger(expected) || expected <= 0 || !dataDir) {
  process.stderr.write('usage: discard-receiver.ts <expected events> <data dir>\n');
  process.exit(2);
}
const logger = createLogger('info');

let discarded = 0;
const write: Store['write'] = async (events) => {
  const outcomes: WriteOutcome[] = [];
  // Each event is made (the pipeline runs), then answered as the contract answers a stored one.
  for (const _event of events) outcomes.push(STORED);
  const before = discarded;
  discarded += outcomes.length;
  if (discarded >= expected && before < expected) logger.info('discarded', { events: discarded });
  return outcomes;
};

const ingest = await startIngest({
  inputs: [ingestInputConfigSchema.parse({ type: 'syslog', protocol: 'tcp', host: '127.0.0.1', port: 0, pipeline: 'syslog' })],
  store: delegateStore(memoryStore(), { write }),
  dataDir,
  resolveParse: pipelineParseResolver(loadConfiguredPipelines(undefined)),
  logger,
});
process.once('SIGTERM', () => {
  void ingest.stop().then(() => process.exit(0));
});
