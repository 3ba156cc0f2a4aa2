/**
 * Field names and types in the embedded store: which type decides a field's query semantics
 * (the catalogue, else the first type written, else keyword), how a name becomes a JSON path,
 * and which fields an event holds values in (for the `fields` table).
 */
import { FaultlineError } from '../../core/errors.ts';
import { dynamicType, knownField, type FieldDefinition, type FieldType } from '../../core/event/fields.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../../core/event/types.ts';
import { valueColumn } from './value-columns.ts';

/** A field as the compilers see it: where its values live and what they mean. */
export interface ResolvedField {
  name: string;
  type: FieldType;
  /** JSON path into the stored document, bound as a parameter, never spliced into SQL. */
  path: string;
  /** Fields kept in their own column as well, for the sort index and id lookups. */
  column?: 'ts' | 'id';
  /** The field's value column (value-columns.ts), and whether some rows are marked to be read from the document. */
  valueColumn?: { name: string; mixed: boolean };
}

const COLUMN_FIELDS: Readonly<Record<string, 'ts' | 'id'>> = { '@timestamp': 'ts', 'event.id': 'id' };

// Quotes and backslashes would end or escape a quoted JSON path label; control characters have no place in a name.
function forbiddenInName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x22 || code === 0x5c) return true;
  }
  return false;
}

/** Checks a field name and answers its JSON path (`host.name` -> `$."host"."name"`). */
export function jsonPath(name: string): string {
  const segments = name === '@timestamp' ? [name] : name.split('.');
  if (name === '' || forbiddenInName(name) || segments.some((segment) => segment === '')) {
    throw new FaultlineError(
      'FL_ERR_QUERY_INVALID',
      `${JSON.stringify(name)} is not a valid field name: use dotted names such as host.name, without quotes, backslashes, control characters or empty parts`,
      { field: name },
    );
  }
  return `$${segments.map((segment) => `."${segment}"`).join('')}`;
}

/** The catalogue field of type `flattened` that holds `name` below it (its keys are keywords), if any. */
function flattenedParent(name: string): string | undefined {
  let end = name.lastIndexOf('.');
  while (end > 0) {
    const prefix = name.slice(0, end);
    if (knownField(prefix)?.type === 'flattened') return prefix;
    end = name.lastIndexOf('.', end - 1);
  }
  return undefined;
}

/** Types of the fields written so far (the `fields` table), mirrored in memory for compiling queries. */
export class FieldTypes {
  readonly #seen = new Map<string, FieldType>();
  readonly #mixed = new Set<string>();

  /** The field's value column has marked rows (from now on, or since before the store was opened). */
  markMixed(name: string): void {
    this.#mixed.add(name);
  }

  remember(name: string, type: FieldType): void {
    if (!this.#seen.has(name)) this.#seen.set(name, type);
  }

  typeOf(name: string): FieldType {
    const known = knownField(name);
    if (known) return known.type;
    if (flattenedParent(name) !== undefined) return 'keyword';
    return this.#seen.get(name) ?? 'keyword';
  }

  /** Resolves a field a query or aggregation names; fields stored without an index are refused. */
  resolve(name: string): ResolvedField {
    const path = jsonPath(name);
    if (knownField(name)?.searchable === false) {
      throw new FaultlineError('FL_ERR_QUERY_INVALID', `field '${name}' is stored but not indexed, so it cannot be queried or aggregated`, {
        field: name,
      });
    }
    const column = COLUMN_FIELDS[name];
    const values = valueColumn(name);
    return {
      name,
      type: this.typeOf(name),
      path,
      ...(column ? { column } : {}),
      ...(values ? { valueColumn: { name: values, mixed: this.#mixed.has(name) } } : {}),
    };
  }
}

/** A field as the walker knows it: a stable index (for messages), its name, and the type it was first seen with. */
export interface FieldEntry {
  readonly index: number;
  readonly name: string;
  readonly type: FieldType;
}

interface PathNode {
  readonly path: string;
  readonly known: FieldDefinition | undefined;
  /** Where `collect` puts this field's value when it is one of the walker's captured fields, else -1. */
  readonly slot: number;
  readonly children: Map<string, PathNode>;
  entry: FieldEntry | undefined;
}

function pathNode(path: string, captured: readonly string[]): PathNode {
  return { path, known: path === '' ? undefined : knownField(path), slot: captured.indexOf(path), children: new Map(), entry: undefined };
}

/**
 * Finds the fields an event holds a value in. Object paths are not fields; a flattened or
 * geo_point field is one field; an array counts when an element holds a value; objects inside
 * arrays are not addressable by a path and are skipped. Paths are kept in a tree of the keys seen,
 * so walking an event builds no strings and looks nothing up by full name after the first time.
 */
export class FieldWalker {
  /** Catalogue fields whose values `collect` also hands back, so that no one looks them up again. */
  readonly captured: readonly string[];
  readonly #root: PathNode;
  readonly #entries: FieldEntry[] = [];
  #announced = 0;

  constructor(captured: readonly string[] = []) {
    // The walk does not go below a catalogue field, so a captured field must not sit below one.
    for (const name of captured) {
      if (knownField(name) === undefined || belowCatalogueField(name)) throw new Error(`cannot capture '${name}': not a catalogue field, or one below another`);
    }
    this.captured = captured;
    this.#root = pathNode('', captured);
  }

  /**
   * Appends to `out` the index of each field `doc` holds a value in, and sets `values[i]` to the
   * value of the i-th captured field where `doc` has one that is not null (else leaves it be).
   */
  collect(doc: JsonObject, out: number[], values?: (JsonValue | undefined)[]): void {
    this.#walk(doc, this.#root, out, values);
  }

  entry(index: number): FieldEntry {
    const entry = this.#entries[index];
    if (!entry) throw new RangeError(`no field with index ${index}`);
    return entry;
  }

  /** Entries first seen since the last call, for a receiver that resolves indices on its own side. */
  takeNew(): FieldEntry[] {
    const fresh = this.#entries.slice(this.#announced);
    this.#announced = this.#entries.length;
    return fresh;
  }

  #walk(doc: JsonObject, parent: PathNode, out: number[], values: (JsonValue | undefined)[] | undefined): void {
    for (const key in doc) {
      const value = doc[key];
      if (value === undefined || value === null) continue;
      let node = parent.children.get(key);
      if (!node) {
        node = pathNode(parent.path === '' ? key : `${parent.path}.${key}`, this.captured);
        parent.children.set(key, node);
      }
      if (node.slot >= 0 && values) values[node.slot] = value;
      if (node.known) {
        if (holdsValue(value)) out.push(this.#indexOf(node, node.known.type));
      } else if (isPlainObject(value)) {
        this.#walk(value, node, out, values);
      } else {
        const type = Array.isArray(value) ? firstElementType(node.path, value) : dynamicType(node.path, value);
        if (type) out.push(this.#indexOf(node, type));
      }
    }
  }

  #indexOf(node: PathNode, type: FieldType): number {
    if (!node.entry) {
      node.entry = { index: this.#entries.length, name: node.path, type };
      this.#entries.push(node.entry);
    }
    return node.entry.index;
  }
}

function belowCatalogueField(name: string): boolean {
  for (let end = name.indexOf('.'); end > 0; end = name.indexOf('.', end + 1)) if (knownField(name.slice(0, end))) return true;
  return false;
}

function holdsValue(value: JsonValue): boolean {
  if (value === null) return false;
  if (Array.isArray(value)) return value.some(holdsValue);
  if (isPlainObject(value)) return Object.values(value).some((child) => child !== undefined && holdsValue(child));
  return true;
}

function firstElementType(path: string, values: JsonValue[]): FieldType | undefined {
  for (const value of values) {
    const type = value === null || typeof value === 'object' ? undefined : dynamicType(path, value);
    if (type) return type;
  }
  return undefined;
}
