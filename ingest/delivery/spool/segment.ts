/**
 * The spool's on-disk framing: each entry is an 8-byte header (payload length and CRC-32, both
 * little-endian u32) followed by the payload, a JSON batch. A torn write at a crash leaves an entry
 * whose length runs past the end of the file or whose checksum fails; readers stop there.
 */
import { crc32 } from 'node:zlib';
import type { JsonObject } from '../../../core/event/types.ts';

export const HEADER_BYTES = 8;
/** No batch is this large; a header claiming more is corruption, not a batch. */
export const MAX_ENTRY_BYTES = 1 << 30;

/** One spooled batch: its events in order, and beside each the input it came from (for metrics on replay). */
export interface SpoolEntry {
  inputs: string[];
  events: JsonObject[];
}

export function encodeEntry(entry: SpoolEntry): Buffer {
  const payload = Buffer.from(JSON.stringify(entry), 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, HEADER_BYTES);
  return frame;
}

export type HeaderCheck = { ok: true; length: number; crc: number } | { ok: false; reason: string };

export function readHeader(header: Buffer): HeaderCheck {
  const length = header.readUInt32LE(0);
  if (length === 0 || length > MAX_ENTRY_BYTES) return { ok: false, reason: `entry length ${length} out of range` };
  return { ok: true, length, crc: header.readUInt32LE(4) };
}

/** The entry in a payload, or a reason it cannot be one. */
export function decodePayload(payload: Buffer, crc: number): { ok: true; entry: SpoolEntry } | { ok: false; reason: string } {
  if (crc32(payload) !== crc) return { ok: false, reason: 'checksum mismatch' };
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    if (value !== null && typeof value === 'object' && 'inputs' in value && 'events' in value && Array.isArray(value.inputs) && Array.isArray(value.events)) {
      return { ok: true, entry: { inputs: value.inputs.map(String), events: value.events as JsonObject[] } };
    }
    return { ok: false, reason: 'payload is not a spool entry' };
  } catch (error) {
    return { ok: false, reason: `payload is not JSON: ${String(error)}` };
  }
}
