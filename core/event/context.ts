/**
 * A source's context (where an event came from: the syslog sender, the file, ...) is merged into
 * each event it yields, copied, never shared between events. A context many records share (a
 * syslog connection's) can be marked with `sharedContext`: functions generated once for it then
 * make each event's copy from object literals, instead of a walk of the context per event, and can
 * make the whole event of a line as one literal (its message and the context's keys), so V8
 * allocates the event at its final size instead of growing it key by key. Its keys enter the
 * generated code only as JSON string literals, its values only as data.
 */
import { copyJson, isPlainObject, type JsonObject, type JsonValue } from './types.ts';

/** The generated functions of a shared context, kept on it under a symbol (not enumerable, not JSON). */
const SHARED = Symbol('faultline.sharedContext');

interface Generated {
  /** Copies the context into an event without any of its keys: true when done. */
  merge: (event: JsonObject) => boolean;
  /** A new event of the line's message and a copy of the context; absent when the context has a `message`. */
  make: ((message: string) => JsonObject) | undefined;
}
type Factory = (values: JsonValue[], copy: typeof copyJson) => Generated;

/** Generated functions by their code: contexts come in a few shapes; a bound keeps odd ones from piling up. */
const factories = new Map<string, Factory>();
const MAX_SHAPES = 256;

/**
 * Marks a context that many events will share, and returns it. A context with a key that cannot
 * be a literal property (`__proto__`) or that is a dotted path is left as it is. The context must
 * not change afterwards.
 */
export function sharedContext<T extends JsonObject>(context: T): T {
  const values: JsonValue[] = [];
  const keys: string[] = [];
  const literals: string[] = [];
  for (const key in context) {
    const value = context[key];
    if (value === undefined) continue;
    if (key.includes('.') && key !== '@timestamp') return context;
    const literal = literalCode(key, value, values);
    if (literal === null) return context;
    keys.push(JSON.stringify(key));
    literals.push(literal);
  }
  const absent = keys.map((key) => `event[${key}] === undefined`).join(' && ') || 'true';
  const assignments = keys.map((key, index) => `event[${key}] = ${literals[index] as string};`).join('\n');
  const members = keys.map((key, index) => `, ${key}: ${literals[index] as string}`).join('');
  const make = keys.includes('"message"') ? 'undefined' : `(message) => ({"message": message${members}})`;
  const code = `return {\nmerge: (event) => {\nif (!(${absent})) return false;\n${assignments}\nreturn true;\n},\nmake: ${make},\n};`;
  // The code depends on the keys only: contexts of one shape (every UDP sender's) share its compilation.
  let factory = factories.get(code);
  if (factory === undefined) {
    factory = new Function('values', 'copyJson', code) as Factory;
    if (factories.size >= MAX_SHAPES) factories.clear();
    factories.set(code, factory);
  }
  Object.defineProperty(context, SHARED, { value: factory(values, copyJson), enumerable: false });
  return context;
}

/**
 * Copies a shared context into an event that has none of its top-level keys (an event made from a
 * line has only `message`): true when done. False for any other event or context; the caller then
 * merges it key by key.
 */
export function mergeSharedContext(event: JsonObject, context: Readonly<JsonObject>): boolean {
  const generated = (context as { [SHARED]?: Generated })[SHARED];
  return generated !== undefined && generated.merge(event);
}

/**
 * The event of a line with a shared context: `{message, ...a copy of the context}` made as one
 * literal, the same as `{message}` merged with the context. Undefined for a context that is not
 * shared (or has a `message` of its own): the caller merges instead.
 */
export function eventWithSharedContext(message: string, context: Readonly<JsonObject>): JsonObject | undefined {
  return (context as { [SHARED]?: Generated })[SHARED]?.make?.(message);
}

/** An expression that makes a fresh copy of `value`: object literals, primitives from `values`; null when `key` rules it out. */
function literalCode(key: string, value: JsonValue, values: JsonValue[]): string | null {
  if (key === '__proto__') return null;
  if (isPlainObject(value)) {
    const members: string[] = [];
    for (const inner in value) {
      const item = value[inner];
      if (item === undefined) continue;
      const code = literalCode(inner, item, values);
      if (code === null) return null;
      members.push(`${JSON.stringify(inner)}: ${code}`);
    }
    return `{${members.join(', ')}}`;
  }
  values.push(value);
  return Array.isArray(value) ? `copyJson(values[${values.length - 1}])` : `values[${values.length - 1}]`;
}
