/**
 * Field paths compiled once at load: `host.name` becomes an accessor that walks the nested event
 * without splitting the path again for every event. `@timestamp` is one key, never split.
 *
 * The accessors are generated functions (`new Function`), one per path, rather than closures over
 * the path's parts: V8 keeps one inline cache per function, which closures made by the same code
 * share, so closure accessors see every key of every pipeline, go megamorphic, and a property
 * they add takes V8's slow path (about five times slower, measured on the syslog pipeline). The
 * generated code holds the keys only as JSON string literals, never as code, and paths are
 * validated config (see isFieldPath), never event data.
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

/** The path's keys as JSON string literals: the only form in which they enter generated code. */
function keyLiterals(path: string): string[] {
  return (path === '@timestamp' ? [path] : path.split('.')).map((part) => JSON.stringify(part));
}

/**
 * A JavaScript expression with the field's value in the object named `doc` (as `get` returns it),
 * walking through the variable named `temp`; for code generated elsewhere (conditions).
 */
export function fieldExpression(path: string, doc: string, temp: string): string {
  const keys = keyLiterals(path);
  const last = keys.pop() as string;
  if (keys.length === 0) return `${doc}[${last}]`;
  const walk = keys.map((key, index) => `(${temp} = ${index === 0 ? doc : temp}[${key}]) !== null && typeof ${temp} === "object" && !Array.isArray(${temp})`);
  return `(${walk.join(' && ')} ? ${temp}[${last}] : undefined)`;
}

function compile(path: string): FieldPath {
  const keys = keyLiterals(path);
  const last = keys[keys.length - 1] as string;
  const parents = keys.slice(0, -1);
  // Walks to the parent object; `undefined` when a part is missing or not an object.
  const walk = parents.map((key) => `c = c[${key}]; if (c === null || typeof c !== 'object' || Array.isArray(c)) return undefined;`).join('\n');
  const create = parents.map((key) => `n = c[${key}]; if (n === null || typeof n !== 'object' || Array.isArray(n)) { n = {}; c[${key}] = n; } c = n;`).join('\n');
  return {
    path,
    get: new Function('doc', `let c = doc;\n${walk}\nreturn c[${last}];`) as FieldPath['get'],
    set: new Function('doc', 'value', `let c = doc, n;\n${create}\nc[${last}] = value;`) as FieldPath['set'],
    delete: new Function('doc', `let c = doc;\n${walk}\nif (c[${last}] === undefined) return false;\nc[${last}] = undefined;\nreturn true;`) as FieldPath['delete'],
  };
}
