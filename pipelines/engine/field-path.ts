/**
 * Field paths compiled once at load: `host.name` becomes an accessor that walks the nested event
 * without splitting the path again for every event. `@timestamp` is one key, never split.
 */
import type { JsonObject, JsonValue } from '../../core/event/types.ts';

export interface FieldPath {
  readonly path: string;
  get(doc: JsonObject): JsonValue | undefined;
  /** Sets the value, creating (or replacing non-object) parents on the way. */
  set(doc: JsonObject, value: JsonValue): void;
  /**
   * Removes the field; true when it was there. Parents left empty are kept. The key is set to
   * undefined rather than deleted: `delete` turns V8 objects into slow dictionaries, and undefined
   * values are skipped by JSON, getField and leafFields alike.
   */
  delete(doc: JsonObject): boolean;
}

const cache = new Map<string, FieldPath>();
/** Paths are compiled at load from config, so the cache stays small; the bound is a safety net. */
const CACHE_LIMIT = 10_000;

export function fieldPath(path: string): FieldPath {
  let compiled = cache.get(path);
  if (compiled === undefined) {
    compiled = compile(path);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(path, compiled);
  }
  return compiled;
}

/** A valid field path: dot-separated non-empty names (or `@timestamp`). */
export function isFieldPath(path: string): boolean {
  return path === '@timestamp' || (path !== '' && path.split('.').every((part) => part !== ''));
}

function compile(path: string): FieldPath {
  const parts = path === '@timestamp' ? [path] : path.split('.');
  const last = parts[parts.length - 1] as string;
  if (parts.length === 1) {
    return {
      path,
      get: (doc) => doc[last],
      set: (doc, value) => {
        doc[last] = value;
      },
      delete: (doc) => {
        if (doc[last] === undefined) return false;
        doc[last] = undefined;
        return true;
      },
    };
  }
  const parents = parts.slice(0, -1);
  const parentOf = (doc: JsonObject): JsonObject | undefined => {
    let current: JsonObject = doc;
    for (const part of parents) {
      const next = current[part];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) return undefined;
      current = next;
    }
    return current;
  };
  return {
    path,
    get: (doc) => parentOf(doc)?.[last],
    set: (doc, value) => {
      let current: JsonObject = doc;
      for (const part of parents) {
        const next = current[part];
        if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
          current = next;
        } else {
          const created: JsonObject = {};
          current[part] = created;
          current = created;
        }
      }
      current[last] = value;
    },
    delete: (doc) => {
      const parent = parentOf(doc);
      if (parent === undefined || parent[last] === undefined) return false;
      parent[last] = undefined;
      return true;
    },
  };
}
