/**
 * A child process for the crash tests: tails the files matching a glob into a store (the embedded
 * store in the data directory, or the `store:` section given as JSON), and exits 0 once every file
 * is read and acknowledged to its end. The test kills it with SIGKILL at random points and starts
 * it again.
 *
 * Usage: node test/ingest/ingest-runner.ts <data-dir> <glob> [store-config-json]
 */
import { storeConfigSchema } from '../../core/config/schema.ts';
import { openStore } from '../../store/open.ts';
import { defaultParse } from '../../ingest/default-parse.ts';
import { deliveryConfigSchema } from '../../ingest/delivery/config.ts';
import { Delivery } from '../../ingest/delivery/delivery.ts';
import { fileInputConfigSchema } from '../../ingest/sources/file/config.ts';
import { FileSource } from '../../ingest/sources/file/source.ts';

const [dataDir, glob, storeJson] = process.argv.slice(2);
if (!dataDir || !glob) throw new Error('usage: ingest-runner.ts <data-dir> <glob> [store-config-json]');

const store = await openStore(storeConfigSchema.parse(storeJson ? JSON.parse(storeJson) : { type: 'embedded', path: dataDir }));
const delivery = await Delivery.open({ store, dataDir, config: deliveryConfigSchema.parse({ flush_interval: '50ms' }) });
const config = fileInputConfigSchema.parse({ type: 'file', paths: [glob], poll_interval: '20ms', scan_interval: '200ms', checkpoint_interval: '100ms' });
const source = new FileSource({ id: 'crash-test', config, input: delivery.input('crash-test', 'file', defaultParse), dataDir });
let stopping: Promise<void> | undefined;
/** Once only: SIGTERM may arrive just as the main loop catches up. */
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    await source.stop();
    await delivery.close();
    await source.close();
    await store.close();
  })();
  return stopping;
}

// SIGTERM: deliver or spool what is in memory, write checkpoints, exit 0.
process.once('SIGTERM', () => {
  shutdown().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`shutdown failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});

await source.start();
process.stdout.write('started\n');

while (stopping === undefined && !(await source.caughtUp())) await new Promise((resolve) => setTimeout(resolve, 100));
await shutdown();
process.stdout.write('caught up\n');
