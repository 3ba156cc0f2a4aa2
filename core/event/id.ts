/**
 * Deterministic event ids (DESIGN.md section 2). An id is assigned once where the event enters and
 * is kept through spool and retries, so a retry never duplicates and two identical lines are never
 * merged. Ids are 128 bits in base64url: 22 characters, safe as an Elasticsearch `_id`.
 *
 * Ids of a stream (a file, a syslog connection) are its 64-bit SHA-256 prefix followed by the
 * position in it, big-endian: consecutive events of a stream get neighbouring ids, so both stores'
 * id indices grow at a few places instead of at random ones, as Elasticsearch's own time-based ids
 * do. Other ids are 128 bits of SHA-256.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from './types.ts';

function hash(parts: readonly (string | number)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) {
    const text = String(part);
    // Length-prefixing keeps ["ab", "c"] and ["a", "bc"] apart.
    hash.update(`${text.length}:${text}|`);
  }
  return hash.digest();
}

function digest(parts: readonly (string | number)[]): string {
  return hash(parts).subarray(0, 16).toString('base64url');
}

/** The stream's hash prefix, remembered for the streams seen last (a file or connection yields many events in a row). */
const streamPrefixes = new Map<string, Buffer>();
const REMEMBERED_STREAMS = 1024;

function streamEventId(parts: readonly (string | number)[], position: number): string {
  const key = JSON.stringify(parts);
  let prefix = streamPrefixes.get(key);
  if (!prefix) {
    prefix = hash(parts).subarray(0, 8);
    if (streamPrefixes.size >= REMEMBERED_STREAMS) streamPrefixes.clear();
    streamPrefixes.set(key, prefix);
  }
  const id = Buffer.allocUnsafe(16);
  prefix.copy(id, 0);
  id.writeBigUInt64BE(BigInt(position), 8);
  return id.toString('base64url');
}

/** File sources: the file's identity (device, inode, fingerprint of its first bytes) and the line's byte offset. */
export function fileEventId(fileIdentity: string, offset: number): string {
  return streamEventId(['file', fileIdentity], offset);
}

/** Syslog sources: the receiver instance, the connection (or UDP socket) and the message's sequence number on it. */
export function syslogEventId(instance: string, connection: string, sequence: number): string {
  return streamEventId(['syslog', instance, connection], sequence);
}

/** HTTP sources without an `event.id`: a hash of the whole event, so identical events with the same timestamp count as one. */
export function contentEventId(event: JsonValue): string {
  return digest(['content', canonicalJson(event)]);
}

/** JSON with object keys sorted, so equal documents serialize equally. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}
