/**
 * An Elasticsearch node of the test's own, through scripts/elasticsearch.sh with
 * FAULTLINE_ES_INSTANCE: the shared node (FAULTLINE_TEST_ELASTICSEARCH_URL) is used by other
 * tests and people at the same time and must never be stopped, so a test that stops Elasticsearch
 * runs one of its own. `stop({ keep: true })` stops it keeping data, port and password; `start()`
 * brings the same node back on the same URL; `stop()` removes it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'elasticsearch.sh');
/** A loaded 2-core machine boots a node in 15 to 45 s; the script waits up to its own timeout. */
const SCRIPT_TIMEOUT_MS = 240_000;

export class DedicatedElasticsearch {
  readonly name: string;

  /** `name`: lowercase letters, digits and dashes; unique per test run. */
  constructor(name: string) {
    this.name = name;
  }

  /** Starts the node (or brings it back after `stop({ keep: true })`) and resolves with its URL. */
  async start(): Promise<string> {
    const out = await this.#script(['start']);
    const url = /^FAULTLINE_TEST_ELASTICSEARCH_URL=(\S+)$/m.exec(out)?.[1];
    if (!url) throw new Error(`scripts/elasticsearch.sh start printed no URL for '${this.name}':\n${out}`);
    return url;
  }

  async stop(options: { keep?: boolean } = {}): Promise<void> {
    await this.#script(options.keep ? ['stop', '--keep'] : ['stop']);
  }

  #script(args: string[]): Promise<string> {
    const env = { ...process.env, FAULTLINE_ES_INSTANCE: this.name, FAULTLINE_ES_HEAP: process.env['FAULTLINE_ES_HEAP'] ?? '512m' };
    return new Promise((resolve, reject) => {
      execFile('bash', [SCRIPT, ...args], { env, timeout: SCRIPT_TIMEOUT_MS }, (error, stdout, stderr) => {
        if (error) reject(new Error(`scripts/elasticsearch.sh ${args.join(' ')} (FAULTLINE_ES_INSTANCE=${this.name}) failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
  }
}
