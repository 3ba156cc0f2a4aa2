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

/** The ids of one stream: its hash prefix, and the characters it encodes to, computed once. */
class StreamIds {
  /** Character codes of the first 6 prefix bytes (8 base64url characters). */
  readonly #head: number[];
  /** The last 2 prefix bytes, which share base64 groups with the position. */
  readonly #p6: number;
  readonly #p7: number;

  constructor(prefix: Buffer) {
    this.#head = [...prefix.subarray(0, 6).toString('base64url')].map((char) => char.charCodeAt(0));
    this.#p6 = prefix[6] as number;
    this.#p7 = prefix[7] as number;
  }

  /** The 16 bytes (prefix, position as a 64-bit big-endian integer) in base64url, without a Buffer per id. */
  id(position: number): string {
    const high = Math.floor(position / 0x1_0000_0000);
    const low = position >>> 0;
    const h = this.#head;
    const a = (this.#p6 << 16) | (this.#p7 << 8) | (high >>> 24);
    const b = high & 0xff_ffff;
    const c = low >>> 8;
    const last = low & 0xff;
    return String.fromCharCode(
      h[0] as number, h[1] as number, h[2] as number, h[3] as number, h[4] as number, h[5] as number, h[6] as number, h[7] as number,
      CODES[(a >>> 18) & 63] as number, CODES[(a >>> 12) & 63] as number, CODES[(a >>> 6) & 63] as number, CODES[a & 63] as number,
      CODES[(b >>> 18) & 63] as number, CODES[(b >>> 12) & 63] as number, CODES[(b >>> 6) & 63] as number, CODES[b & 63] as number,
      CODES[(c >>> 18) & 63] as number, CODES[(c >>> 12) & 63] as number, CODES[(c >>> 6) & 63] as number, CODES[c & 63] as number,
      CODES[last >>> 2] as number, CODES[(last & 3) << 4] as number,
    );
  }
}

const CODES = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].map((char) => char.charCodeAt(0));

/** The streams seen last, per kind (a file or connection yields many events in a row). */
const fileStreams = new Map<string, StreamIds>();
const syslogStreams = new Map<string, StreamIds>();
const REMEMBERED_STREAMS = 1024;

/** `key` names the stream within its kind; `parts` are what its hash covers. */
function streamIds(streams: Map<string, StreamIds>, key: string, parts: readonly string[]): StreamIds {
  let ids = streams.get(key);
  if (!ids) {
    ids = new StreamIds(hash(parts).subarray(0, 8));
    if (streams.size >= REMEMBERED_STREAMS) streams.clear();
    streams.set(key, ids);
  }
  return ids;
}

/** The id maker of one syslog connection (or UDP socket). */
function syslogStream(instance: string, connection: string): StreamIds {
  const parts = ['syslog', instance, connection];
  return streamIds(syslogStreams, JSON.stringify(parts), parts);
}

/** File sources: the file's identity (device, inode, fingerprint of its first bytes) and the line's byte offset. */
export function fileEventId(fileIdentity: string, offset: number): string {
  return streamIds(fileStreams, fileIdentity, ['file', fileIdentity]).id(offset);
}

/** Syslog sources: the receiver instance, the connection (or UDP socket) and the message's sequence number on it. */
export function syslogEventId(instance: string, connection: string, sequence: number): string {
  return syslogStream(instance, connection).id(sequence);
}

/** The id maker of one syslog connection (or UDP socket), for a source that keeps it: `syslogEventId` without the lookup. */
export function syslogStreamIds(instance: string, connection: string): (sequence: number) => string {
  const ids = syslogStream(instance, connection);
  return (sequence) => ids.id(sequence);
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
