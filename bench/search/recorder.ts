/**
 * The Elasticsearch requests behind an API call, to send the very same requests straight to
 * Elasticsearch: a pass-through proxy that a `faultline serve` is pointed at while the benchmark
 * records (so the query DSL is what the backend's own compiler made, byte for byte), and a replay
 * of what it recorded. The measured server talks to Elasticsearch directly, never through this.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { splitCredentials } from '../elasticsearch.ts';

export interface EsRequest {
  method: string;
  /** The path with its query string, as sent. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Recorder {
  /** The Elasticsearch URL to give the server: the proxy's address with the original credentials. */
  url: string;
  /** What went through since the last call. */
  take(): EsRequest[];
  close(): Promise<void>;
}

/** The headers that decide what Elasticsearch answers and how; the replay sends these as recorded. */
const REPLAYED_HEADERS = ['content-type', 'accept', 'accept-encoding'];

function replayedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value;
  }
  return kept;
}

export async function startRecorder(elasticsearchUrl: string): Promise<Recorder> {
  const target = new URL(elasticsearchUrl);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let recorded: EsRequest[] = [];
  const proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = request.method ?? 'GET';
      const path = request.url ?? '/';
      recorded.push({ method, path, headers: replayedHeaders(request.headers), body: body.toString('utf8') });
      const upstream = send(
        { protocol: target.protocol, hostname: target.hostname, port: target.port, method, path, headers: { ...request.headers, host: target.host } },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', (error) => response.destroy(error));
      upstream.end(body);
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const proxied = new URL(elasticsearchUrl);
  proxied.protocol = 'http:';
  proxied.hostname = '127.0.0.1';
  proxied.port = String((proxy.address() as AddressInfo).port);
  return {
    url: proxied.toString().replace(/\/$/, ''),
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    async close() {
      proxy.closeAllConnections();
      proxy.close();
      await once(proxy, 'close');
    },
  };
}

/** Whether a recorded request is a search (what the replay measures) rather than housekeeping such as `_field_caps`. */
export function isSearch(request: EsRequest): boolean {
  return /\/_search(\?|$)/.test(request.path);
}

/** Sends recorded requests to Elasticsearch one after the other, as recorded; answers the last answer. */
export function replayer(elasticsearchUrl: string, requests: readonly EsRequest[]): () => Promise<string> {
  const { base, authorization } = splitCredentials(elasticsearchUrl);
  return async () => {
    let last = '';
    for (const request of requests) {
      const headers: Record<string, string> = { 'accept-encoding': 'identity', ...request.headers };
      if (authorization) headers['authorization'] = authorization;
      const response = await fetch(`${base}${request.path}`, { method: request.method, headers, ...(request.body === '' ? {} : { body: request.body }) });
      const text = await response.text();
      if (!response.ok) throw new Error(`Elasticsearch answered ${response.status} to ${request.method} ${request.path}: ${text.slice(0, 300)}`);
      last = text;
    }
    return last;
  };
}
