/** JSON values as events carry them: nested objects, never dotted keys. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/**
 * A Faultline event: an ECS document. The fields every stage may rely on are typed; the rest of
 * ECS (and anything a pipeline adds) rides along as JSON. See core/event/fields.ts for the types.
 */
export interface FaultlineEvent extends JsonObject {
  '@timestamp': string;
  event: EventSection;
  message?: string;
  tags?: string[];
  labels?: Record<string, string>;
}

export interface EventSection extends JsonObject {
  id: string;
  ingested?: string;
  dataset?: string;
  kind?: string;
  severity?: number;
  original?: string;
}

/** The value at a dotted field path of a nested event (`host.name`), or undefined. */
export function getField(doc: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = doc;
  for (const part of path === '@timestamp' ? [path] : path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    // Own keys only: `constructor` or `__proto__` of an event is a field it has, not Object's.
    current = Object.hasOwn(current, part) ? current[part] : undefined;
  }
  return current;
}

/**
 * Sets the value at a dotted field path, creating the objects on the way. Paths come from log
 * text (kv keys, JSON keys), so a `__proto__` part is an ordinary key of the event, never a way
 * into Object.prototype.
 */
export function setField(doc: JsonObject, path: string, value: JsonValue): void {
  const parts = path === '@timestamp' ? [path] : path.split('.');
  let current: JsonObject = doc;
  for (const part of parts.slice(0, -1)) {
    const next = Object.hasOwn(current, part) ? current[part] : undefined;
    if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      current = next;
    } else {
      const created: JsonObject = {};
      setOwn(current, part, created);
      current = created;
    }
  }
  setOwn(current, parts[parts.length - 1] as string, value);
}

/** `doc[key] = value` as an own property even for `__proto__`, whose assignment would set the prototype. */
function setOwn(doc: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(doc, key, { value, writable: true, enumerable: true, configurable: true });
  else doc[key] = value;
}

/** Every leaf of a nested document as [dotted path, value]; arrays are leaves. */
export function* leafFields(doc: JsonObject, prefix = ''): Generator<[string, JsonValue]> {
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      yield* leafFields(value, path);
    } else {
      yield [path, value];
    }
  }
}

/**
 * Turns dotted keys into nested objects (`{"host.name": "a"}` -> `{host: {name: "a"}}`), as
 * Elasticsearch reads them, so that the two stores see the same document.
 */
export function expandDottedKeys(doc: JsonObject): JsonObject {
  // Most events have no dotted keys: hand them back as they are (callers copy before changing).
  if (!hasDottedKey(doc)) return doc;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) continue;
    const expanded = value !== null && typeof value === 'object' && !Array.isArray(value) ? expandDottedKeys(value) : value;
    if (key.includes('.') && key !== '@timestamp') {
      const existing = getField(out, key);
      if (isPlainObject(existing) && isPlainObject(expanded)) Object.assign(existing, expanded);
      else setField(out, key, expanded);
    } else {
      const existing = out[key];
      if (isPlainObject(existing) && isPlainObject(expanded)) Object.assign(existing, expanded);
      else out[key] = expanded;
    }
  }
  return out;
}

function hasDottedKey(doc: JsonObject): boolean {
  for (const key in doc) {
    if (key.includes('.') && key !== '@timestamp') return true;
    const value = doc[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && hasDottedKey(value)) return true;
  }
  return false;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A deep copy of a JSON value (members that are undefined left out): several times faster than
 * structuredClone on the small objects of events, which matters once per event.
 */
export function copyJson<T extends JsonValue>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    // A loop: `map` with an arrow function costs an allocation per array beyond the copy.
    const items: JsonValue[] = new Array(value.length);
    for (let at = 0; at < value.length; at++) items[at] = copyJson(value[at] as JsonValue);
    return items as T;
  }
  const out: JsonObject = {};
  for (const key in value) {
    const item = value[key];
    if (item !== undefined) out[key] = copyJson(item);
  }
  return out as T;
}
