/**
 * A source's context (where an event came from: the syslog sender, the file, ...) is merged into
 * each event it yields, copied, never shared between events. A context many records share (a
 * syslog connection's) can be marked with `sharedContext`: a function generated once for it then
 * makes each event's copy from object literals, instead of a walk of the context per event. Its
 * keys enter the generated code only as JSON string literals, its values only as data.
 */
import { copyJson, isPlainObject, type JsonObject, type JsonValue } from './types.ts';

/** The generated merge of a shared context, kept on the context under a symbol (not enumerable, not JSON). */
const MERGE = Symbol('faultline.sharedContext');

type Merge = (event: JsonObject) => boolean;
type Factory = (values: JsonValue[], copy: typeof copyJson) => Merge;

/** Generated merges by their code: contexts come in a few shapes; a bound keeps odd ones from piling up. */
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
  const members: string[] = [];
  for (const key in context) {
    const value = context[key];
    if (value === undefined) continue;
    if (key.includes('.') && key !== '@timestamp') return context;
    const literal = literalCode(key, value, values);
    if (literal === null) return context;
    keys.push(JSON.stringify(key));
    members.push(`event[${JSON.stringify(key)}] = ${literal};`);
  }
  const absent = keys.map((key) => `event[${key}] === undefined`).join(' && ') || 'true';
  const code = `return (event) => {\nif (!(${absent})) return false;\n${members.join('\n')}\nreturn true;\n};`;
  // The code depends on the keys only: contexts of one shape (every UDP sender's) share its compilation.
  let factory = factories.get(code);
  if (factory === undefined) {
    factory = new Function('values', 'copyJson', code) as Factory;
    if (factories.size >= MAX_SHAPES) factories.clear();
    factories.set(code, factory);
  }
  Object.defineProperty(context, MERGE, { value: factory(values, copyJson), enumerable: false });
  return context;
}

/**
 * Copies a shared context into an event that has none of its top-level keys (an event made from a
 * line has only `message`): true when done. False for any other event or context; the caller then
 * merges it key by key.
 */
export function mergeSharedContext(event: JsonObject, context: Readonly<JsonObject>): boolean {
  const merge = (context as { [MERGE]?: Merge })[MERGE];
  return merge !== undefined && merge(event);
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
