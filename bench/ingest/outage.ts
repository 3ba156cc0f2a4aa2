/**
 * Memory while the store is down under full load: `faultline serve` (TCP syslog -> `syslog`
 * pipeline -> Elasticsearch) reaches Elasticsearch through a proxy the benchmark controls. The
 * sender writes the stream over and over for the whole run; after a warm-up with the store up, the
 * proxy resets every connection and refuses new ones for the outage, then forwards again for a
 * recovery period. Faultline's RSS is sampled from /proc every 100 ms throughout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitCredentials } from '../elasticsearch.ts';
import { RssSampler } from '../processes.ts';
import { deleteBenchData } from '../store/bare-bulk.ts';
import type { IngestInputs } from './inputs.ts';
import { OutageProxy } from './outage-proxy.ts';
import { sendContinuously } from './sender.ts';
import { startServe } from './syslog.ts';

export const OUTAGE_PREFIX = 'bench-ingest-outage';
export const HOW =
  'a TCP proxy in front of Elasticsearch resets its open connections and closes its listening port (connections refused) for the outage, then listens again';

export interface OutageTimes {
  warmUpSeconds: number;
  outageSeconds: number;
  recoverySeconds: number;
}

interface Delivery {
  received: number;
  stored: number;
  spooled: number;
  queueEvents: number;
  spoolBytes: number;
  storeAvailable: boolean;
}

export interface OutageResult extends OutageTimes {
  how: string;
  idleRssMb: number;
  /** Highest RSS while the store was down: the figure the target is about. */
  peakRssDownMb: number;
  peakRssMb: number;
  rssSamples: number;
  messagesSent: number;
  atOutageStart: Delivery;
  atOutageEnd: Delivery;
  atEnd: Delivery;
}

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function delivery(apiUrl: string | undefined): Promise<Delivery> {
  const body = (await (await fetch(`${apiUrl}/api/inputs`)).json()) as {
    inputs: { type: string; received: number; stored: number; spooled: number }[];
    delivery: { queue_events: number; spool_bytes: number; store_available: boolean };
  };
  const syslog = body.inputs.find((input) => input.type === 'syslog');
  return {
    received: syslog?.received ?? 0,
    stored: syslog?.stored ?? 0,
    spooled: syslog?.spooled ?? 0,
    queueEvents: body.delivery.queue_events,
    spoolBytes: body.delivery.spool_bytes,
    storeAvailable: body.delivery.store_available,
  };
}

export async function storeOutage(inputs: IngestInputs, url: string, times: OutageTimes, report: (line: string) => void): Promise<OutageResult> {
  const elasticsearch = new URL(splitCredentials(url).base);
  const proxy = new OutageProxy({ host: elasticsearch.hostname, port: Number(elasticsearch.port) });
  await proxy.up();
  const proxied = new URL(url);
  proxied.port = String(proxy.port);
  await deleteBenchData(url, OUTAGE_PREFIX);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-outage-'));
  const faultline = await startServe(dir, { type: 'elasticsearch', elasticsearch: { url: proxied.toString(), index_prefix: OUTAGE_PREFIX } });
  const rss = new RssSampler(faultline.pid);
  try {
    const idleRssMb = rss.sample();
    const sender = await sendContinuously(faultline.syslogPort, inputs.stream);
    await sleep(times.warmUpSeconds);
    const atOutageStart = await delivery(faultline.apiUrl);
    await proxy.down();
    const downAt = performance.now();
    report(`  store down for ${times.outageSeconds} s (received ${atOutageStart.received.toLocaleString('en-US')} so far)`);
    await sleep(times.outageSeconds);
    const atOutageEnd = await delivery(faultline.apiUrl);
    const upAt = performance.now();
    await proxy.up();
    report(`  store up again; RSS peak while down ${rss.peakBetween(downAt, upAt).toFixed(0)} MB`);
    await sleep(times.recoverySeconds);
    const sent = await sender.stop();
    const atEnd = await delivery(faultline.apiUrl);
    rss.stop();
    return {
      ...times,
      how: HOW,
      idleRssMb,
      peakRssDownMb: rss.peakBetween(downAt, upAt),
      peakRssMb: rss.peak,
      rssSamples: rss.count,
      messagesSent: sent.messages,
      atOutageStart,
      atOutageEnd,
      atEnd,
    };
  } finally {
    rss.stop();
    await faultline.stop();
    await proxy.down();
    rmSync(dir, { recursive: true, force: true });
    await deleteBenchData(url, OUTAGE_PREFIX);
  }
}
