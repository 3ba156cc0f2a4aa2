/**
 * TCP syslog scenarios, each run on Faultline and on rsyslog with the same bytes from the same
 * sender: into Elasticsearch (timed until every message is searchable: refresh + count), and
 * receive and parse alone (timed until the receiver has handled the last message).
 *
 * - Faultline -> Elasticsearch: `faultline serve` with a TCP syslog input and the `syslog`
 *   pipeline, its default delivery (batches of 1,000), the Elasticsearch store.
 * - rsyslog -> Elasticsearch: imptcp, the RFC 3164 parser, mmnormalize with rules for what the
 *   `syslog` pipeline normalizes (bench/rsyslog.ts), an ECS-shaped JSON document,
 *   omelasticsearch in bulk mode into daily indices by the message's time (as Faultline writes),
 *   with an action queue of the same batch size (delivery's default) and one worker, as Faultline has one
 *   batch in flight.
 * - Faultline, discarded: the same ingest in front of a store that keeps nothing
 *   (discard-receiver.ts).
 * - rsyslog, discarded: imptcp, the RFC 3164 parser, the same mmnormalize, the header's
 *   properties and the message written to /dev/null; one main-queue worker so that the end marker, handled last, means all is done.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deliveryConfigSchema } from '../../ingest/delivery/config.ts';
import { splitCredentials, waitForCount, type Arrival } from '../elasticsearch.ts';
import { cpuSecondsOf, RssSampler } from '../processes.ts';
import { RSYSLOG_SYSLOG_PIPELINE, startRsyslog, type Rsyslog } from '../rsyslog.ts';
import { deleteBenchData } from '../store/bare-bulk.ts';
import { CLI, startFaultline, writeConfig, type FaultlineProcess } from './faultline.ts';
import { END_PROGRAM, type IngestInputs } from './inputs.ts';
import { send } from './sender.ts';

export const SERVE_PREFIX = 'bench-ingest-serve';
export const RSYSLOG_PREFIX = 'bench-ingest-rsyslog';
const DISCARD_RECEIVER = fileURLToPath(new URL('./discard-receiver.ts', import.meta.url));
/** rsyslog's action queue takes batches of delivery's default size. */
const BATCH = deliveryConfigSchema.parse({}).batch_max_events;

export interface TcpResult {
  receiver: string;
  /** Messages the receiver handled (searchable, or discarded); fewer than sent when it lost some. */
  messages: number;
  missing: number;
  /** Why messages are missing, as the receiver tells it. */
  note?: string;
  seconds: number;
  rate: number;
  cpuSeconds: number;
  cpuRate: number;
  peakRssMb: number;
  cpu: number | null;
}

/** Who receives the stream: its name in the results, process, syslog port and pinned CPU. */
interface Receiver {
  name: string;
  pid: number;
  port: number;
  cpu: number | null;
}

const rsyslogReceiver = (rsyslog: Rsyslog): Receiver => ({ name: `rsyslog ${rsyslog.version}`, pid: rsyslog.pid, port: rsyslog.port, cpu: rsyslog.cpu });

/**
 * Sends the stream to the receiver's port and waits until `done` says how many messages the receiver handled
 * and when the last one was (performance.now()); the receiver's CPU time and RSS meanwhile.
 */
async function measure(receiver: Receiver, inputs: IngestInputs, done: () => Promise<Arrival>, explain: () => Promise<string> | string): Promise<TcpResult> {
  const { name, pid, port, cpu } = receiver;
  const rss = new RssSampler(pid);
  const cpuBefore = cpuSecondsOf(pid);
  const started = performance.now();
  let arrival: Arrival;
  try {
    [, arrival] = await Promise.all([send(port, inputs.stream), done()]);
  } finally {
    rss.stop();
  }
  const seconds = (arrival.at - started) / 1000;
  const cpuSeconds = cpuSecondsOf(pid) - cpuBefore;
  const missing = inputs.messages - arrival.count;
  const result: TcpResult = { receiver: name, messages: arrival.count, missing, seconds, rate: arrival.count / seconds, cpuSeconds, cpuRate: arrival.count / cpuSeconds, peakRssMb: rss.peak, cpu };
  if (missing > 0) result.note = await explain();
  return result;
}

/** `faultline serve` with one TCP syslog input and `store`, from a faultline.yaml in a temporary directory. */
export async function startServe(dir: string, store: object): Promise<FaultlineProcess> {
  const config = writeConfig(dir, {
    server: { host: '127.0.0.1', port: 0 },
    store: { path: join(dir, 'data'), ...store },
    inputs: [{ type: 'syslog', protocol: 'tcp', host: '127.0.0.1', port: 0, pipeline: 'syslog' }],
    log: { level: 'info' },
  });
  return startFaultline(CLI, ['serve', '--config', config], { api: true });
}

async function inputsStatus(faultline: FaultlineProcess): Promise<string> {
  try {
    return await (await fetch(`${faultline.apiUrl}/api/inputs`)).text();
  } catch (error) {
    return `GET /api/inputs failed: ${(error as Error).message}; log: ${faultline.stderr().slice(-1000)}`;
  }
}

export async function faultlineToElasticsearch(inputs: IngestInputs, url: string): Promise<TcpResult> {
  await deleteBenchData(url, SERVE_PREFIX);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-serve-'));
  const faultline = await startServe(dir, { type: 'elasticsearch', elasticsearch: { url, index_prefix: SERVE_PREFIX } });
  try {
    return await measure(
      { name: 'faultline serve', pid: faultline.pid, port: faultline.syslogPort, cpu: null },
      inputs,
      () => waitForCount(url, `${SERVE_PREFIX}-events-*`, inputs.messages),
      () => inputsStatus(faultline),
    );
  } finally {
    await faultline.stop();
    rmSync(dir, { recursive: true, force: true });
    await deleteBenchData(url, SERVE_PREFIX);
  }
}

// Daily indices by the message's own time, as Faultline makes them.
const DAILY_TEMPLATE = `template(name="daily" type="string" string="${RSYSLOG_PREFIX}-events-%timereported:::date-year%.%timereported:::date-month%.%timereported:::date-day%")`;

function readIfThere(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').slice(0, 2000) : '';
}

export async function rsyslogToElasticsearch(inputs: IngestInputs, url: string): Promise<TcpResult> {
  const credentials = new URL(url);
  const server = new URL(splitCredentials(url).base);
  await deleteBenchData(url, RSYSLOG_PREFIX);
  const rsyslog = await startRsyslog({
    input: 'imptcp',
    preamble: ['module(load="omelasticsearch")', DAILY_TEMPLATE, ...RSYSLOG_SYSLOG_PIPELINE.preamble],
    ruleset: [
      ...RSYSLOG_SYSLOG_PIPELINE.ruleset,
      `action(type="omelasticsearch" server="${server.hostname}" serverport="${server.port}" usehttps="off"` +
        ` uid="${decodeURIComponent(credentials.username)}" pwd="${decodeURIComponent(credentials.password)}"` +
        ` searchIndex="daily" dynSearchIndex="on" esVersion.major="9" bulkmode="on" template="ecs" errorFile="{work}/errors.json"` +
        ` queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="${BATCH}" queue.workerThreads="1" action.resumeRetryCount="-1")`,
    ],
  });
  try {
    return await measure(
      rsyslogReceiver(rsyslog),
      inputs,
      () => waitForCount(url, `${RSYSLOG_PREFIX}-events-*`, inputs.messages),
      () => `${rsyslog.stderr().trim()} ${readIfThere(join(rsyslog.work, 'errors.json'))}`.trim() || 'no error output from rsyslogd, no omelasticsearch error file',
    );
  } finally {
    await rsyslog.stop();
    await deleteBenchData(url, RSYSLOG_PREFIX);
  }
}

/** At least this many messages a second, or the scenario is taken for stuck. */
const SLOWEST_RATE = 5000;

export async function faultlineDiscard(inputs: IngestInputs, cpu: number | null): Promise<TcpResult> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-discard-'));
  const faultline = await startFaultline(DISCARD_RECEIVER, [String(inputs.messages), dir], { cpu });
  try {
    return await measure(
      { name: 'faultline ingest, store discarding', pid: faultline.pid, port: faultline.syslogPort, cpu },
      inputs,
      async () => {
        const match = await faultline.waitFor(/discarded events=(\d+)/, 60_000 + (inputs.messages / SLOWEST_RATE) * 1000);
        return { count: Number(match[1]), at: performance.now() };
      },
      () => faultline.stderr(),
    );
  } finally {
    await faultline.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the discarding rsyslog writes to /dev/null: the header's properties and the message. What
 * mmnormalize extracted stays in rsyslog's message unrendered, as Faultline's discarded events are
 * never serialized.
 */
const DISCARD_TEMPLATE = '%timereported:::date-rfc3339% %hostname% %programname% %procid% %syslogfacility-text% %syslogseverity-text% %msg%\\n';

export async function rsyslogDiscard(inputs: IngestInputs, cpu: number | null): Promise<TcpResult> {
  const rsyslog = await startRsyslog({
    input: 'imptcp',
    preamble: ['main_queue(queue.workerThreads="1")', ...RSYSLOG_SYSLOG_PIPELINE.preamble, `template(name="parsed" type="string" string="${DISCARD_TEMPLATE}")`],
    ruleset: [
      ...RSYSLOG_SYSLOG_PIPELINE.ruleset,
      'action(type="omfile" file="/dev/null" template="parsed" ioBufferSize="1m" flushOnTXEnd="off")',
      `if $programname == "${END_PROGRAM}" then action(type="omfile" file="{work}/end.log" template="parsed")`,
    ],
    cpu,
  });
  const end = join(rsyslog.work, 'end.log');
  try {
    return await measure(
      rsyslogReceiver(rsyslog),
      inputs,
      async () => {
        const deadline = performance.now() + 60_000 + (inputs.messages / SLOWEST_RATE) * 1000;
        while (!existsSync(end) || statSync(end).size === 0) {
          if (performance.now() > deadline) throw new Error(`rsyslogd did not reach the end marker: ${rsyslog.stderr().trim() || 'no error output'}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return { count: inputs.messages, at: performance.now() };
      },
      () => rsyslog.stderr(),
    );
  } finally {
    await rsyslog.stop();
  }
}
