/**
 * Small JSON state files that survive kill -9 and power loss: written to a temporary file,
 * fsync'd, renamed over the old one, and the directory fsync'd so the rename itself is durable.
 * A reader sees either the old file or the new one, never a torn mix.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JsonValue } from '../../core/event/types.ts';

let sequence = 0;

export async function writeJsonAtomic(path: string, value: JsonValue): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${++sequence}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(JSON.stringify(value));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The parsed file, or undefined when it does not exist. A corrupt file is an error: state is never silently reset. */
export async function readJson(path: string): Promise<JsonValue | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return JSON.parse(text) as JsonValue;
}

export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
