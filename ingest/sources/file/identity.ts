/**
 * File identity. A file is recognized by device + inode + a fingerprint of its first bytes (up to
 * 1024; of the decompressed content for gzip), so that:
 * - a renamed file (rename rotation, also while stopped) is the same file: same inode, same prefix;
 * - a reused inode is a new file: its prefix differs;
 * - a copy of a file (the copy of copytruncate, the gzip of a rotated file) is recognized by its
 *   fingerprint once the original is no longer being read, and continues from the original's
 *   checkpoint with the same event ids instead of being read again.
 * Event ids use `key`, fixed when the file is first seen.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { FileCheckpoint, FileKind } from '../../checkpoints/file-checkpoints.ts';

export const FINGERPRINT_BYTES = 1024;

/** What a scan knows about one file it found. */
export interface Candidate {
  path: string;
  dev: string;
  ino: string;
  /** Size on disk (compressed size for gzip). */
  size: number;
  mtimeMs: number;
  kind: FileKind;
  /** The first up to 1024 bytes of its content (decompressed for gzip). */
  prefix: Buffer;
  /** True when `prefix` is the whole content. */
  complete: boolean;
  /** fingerprint(prefix), computed once. */
  prefixHash: string;
}

export interface FileStat {
  dev: string;
  ino: string;
  size: number;
  mtimeMs: number;
}

/** Device, inode, size and mtime of a path (following symlinks), or undefined if it is not a regular file. */
export async function statFile(path: string): Promise<FileStat | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    if (!info.isFile()) return undefined;
    return { dev: info.dev.toString(), ino: info.ino.toString(), size: Number(info.size), mtimeMs: Number(info.mtimeMs) };
  } catch {
    return undefined;
  }
}

export async function probe(path: string, gzip: boolean): Promise<Candidate | undefined> {
  const info = await statFile(path);
  if (!info) return undefined;
  let raw: Buffer;
  try {
    raw = await readPrefix(path, FINGERPRINT_BYTES);
  } catch {
    return undefined;
  }
  if (gzip && raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    const { prefix, complete } = await gunzipPrefix(path);
    return { path, ...info, kind: 'gzip', prefix, complete, prefixHash: fingerprint(prefix) };
  }
  return { path, ...info, kind: 'plain', prefix: raw, complete: raw.length >= info.size, prefixHash: fingerprint(raw) };
}

export async function readPrefix(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first 1024 decompressed bytes; a gzip still being written yields what is there so far. */
async function gunzipPrefix(path: string): Promise<{ prefix: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length > FINGERPRINT_BYTES) break;
    }
  } catch {
    return { prefix: Buffer.concat(chunks).subarray(0, FINGERPRINT_BYTES), complete: false };
  } finally {
    stream.destroy();
  }
  const all = Buffer.concat(chunks);
  return { prefix: all.subarray(0, FINGERPRINT_BYTES), complete: all.length <= FINGERPRINT_BYTES };
}

export function fingerprint(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The checkpointed file this candidate is, by inode and fingerprint (not truncated below the checkpoint). */
export function isSameFile(record: FileCheckpoint, candidate: Candidate): boolean {
  if (record.dev !== candidate.dev || record.ino !== candidate.ino || record.kind !== candidate.kind) return false;
  if (candidate.prefix.length < record.fp_len) return false;
  const hash = record.fp_len === candidate.prefix.length ? candidate.prefixHash : fingerprint(candidate.prefix.subarray(0, record.fp_len));
  if (hash !== record.fp_hash) return false;
  return record.kind === 'gzip' || candidate.size >= record.offset;
}

/** Whether the candidate holds the same content as the checkpointed file, as far as the fingerprint tells (a copy, or its gzip). */
export function isCopyOf(record: FileCheckpoint, candidate: Candidate): boolean {
  if (record.fp_len === 0 || record.fp_len !== candidate.prefix.length) return false;
  if (record.fp_len < FINGERPRINT_BYTES && !candidate.complete) return false;
  return candidate.prefixHash === record.fp_hash;
}

/** A new identity key; a collision with a key already used (the same inode and first bytes as a forgotten file) gets a generation suffix. */
export function newKey(candidate: Candidate, taken: (key: string) => boolean): string {
  const base = `${candidate.dev}-${candidate.ino}-${candidate.prefixHash.slice(0, 16)}`;
  if (!taken(base)) return base;
  for (let generation = 2; ; generation++) {
    const key = `${base}~${generation}`;
    if (!taken(key)) return key;
  }
}
