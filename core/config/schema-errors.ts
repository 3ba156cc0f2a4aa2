/**
 * Turns a schema validation failure into one line a person can act on:
 * `faultline.yaml:7:3: store.tpye: unknown key 'tpye'; accepted: type, path, elasticsearch`.
 * Shared by everything that loads YAML against a zod schema (configuration, pipelines, rules).
 */
import type { z } from 'zod';
import { FaultlineError, type ErrorCode } from '../errors.ts';
import { positionOf, type YamlSource } from './source.ts';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** A key path as users read it: `inputs[0].port`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(top level)' : text;
}

/** The keys an object schema accepts at a path of the data, following defaults, arrays and unions. */
export function acceptedKeys(schema: AnySchema, path: readonly PropertyKey[], data: unknown): string[] {
  const found = schemaAt(schema, path, data);
  const def = found ? unwrap(found)._zod.def : undefined;
  if (def && def.type === 'object' && 'shape' in def) return Object.keys(def.shape as Record<string, unknown>);
  return [];
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = current._zod.def;
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && 'innerType' in def) {
      current = def.innerType as AnySchema;
    } else if (def.type === 'pipe' && 'in' in def) {
      current = def.in as AnySchema;
    } else {
      return current;
    }
  }
}

function schemaAt(schema: AnySchema, path: readonly PropertyKey[], data: unknown): AnySchema | undefined {
  let current: AnySchema | undefined = schema;
  let value: unknown = data;
  for (const segment of [...path, undefined]) {
    if (!current) return undefined;
    current = unwrap(current);
    const def: z.core.$ZodTypeDef = current._zod.def;
    if (def.type === 'union' && 'options' in def) {
      const options = def.options as AnySchema[];
      const discriminator = 'discriminator' in def ? String(def.discriminator) : undefined;
      const wanted = discriminator && isRecord(value) ? value[discriminator] : undefined;
      current =
        options.find((option) => {
          const shape = objectShape(option);
          const literal = discriminator && shape ? shape[discriminator] : undefined;
          return literal !== undefined && literalValues(literal).includes(wanted);
        }) ?? options[0];
      if (!current) return undefined;
      current = unwrap(current);
    }
    if (segment === undefined) return current;
    const resolved: z.core.$ZodTypeDef = current._zod.def;
    if (resolved.type === 'object' && 'shape' in resolved) {
      current = (resolved.shape as Record<string, AnySchema>)[String(segment)];
    } else if (resolved.type === 'array' && 'element' in resolved) {
      current = resolved.element as AnySchema;
    } else if (resolved.type === 'record' && 'valueType' in resolved) {
      current = resolved.valueType as AnySchema;
    } else {
      return undefined;
    }
    value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[segment as string] : undefined;
  }
  return current;
}

function objectShape(schema: AnySchema): Record<string, AnySchema> | undefined {
  const def = unwrap(schema)._zod.def;
  return def.type === 'object' && 'shape' in def ? (def.shape as Record<string, AnySchema>) : undefined;
}

function literalValues(schema: AnySchema): unknown[] {
  const def = unwrap(schema)._zod.def;
  return def.type === 'literal' && 'values' in def ? (def.values as unknown[]) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong, in words, and which key it is about. */
export function describeIssue(issue: Issue, schema: AnySchema, data: unknown): { path: PropertyKey[]; key?: string; problem: string } {
  const path = [...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] as string;
      const accepted = acceptedKeys(schema, path, data);
      return { path: [...path, key], key, problem: `unknown key '${key}'${accepted.length ? `; accepted: ${accepted.join(', ')}` : ''}` };
    }
    case 'invalid_value':
      return { path, problem: `${issue.message.replace(/^Invalid (option|input): /, '')}; accepted: ${issue.values.map((v) => String(v)).join(', ')}` };
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) {
        return { path, problem: `expected one of: ${(issue.options as unknown[]).map(String).join(', ')}` };
      }
      return { path, problem: issue.message };
    case 'invalid_type':
      return { path, problem: issue.input === undefined ? `required (${issue.expected})` : `expected ${issue.expected}, got ${describeValue(issue.input)}` };
    default:
      return { path, problem: issue.message };
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Validates data loaded from a YAML source against a schema; the first problem becomes a
 * FaultlineError whose message names file, line, column and key. `overrides` maps key paths that
 * came from elsewhere (environment variables) to the name to blame instead of a line.
 */
export function parseWithSchema<S extends AnySchema>(
  schema: S,
  data: unknown,
  source: YamlSource | undefined,
  options: { code?: ErrorCode; overrides?: ReadonlyMap<string, string>; file?: string } = {},
): z.output<S> {
  const result = (schema as unknown as z.ZodType<z.output<S>>).safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0] as Issue;
  const { path, key, problem } = describeIssue(issue, schema, data);
  const keyPath = formatPath(path);
  const override = [...(options.overrides ?? [])].find(([prefix]) => keyPath === prefix || keyPath.startsWith(`${prefix}.`));
  let where: string;
  let details: Record<string, unknown>;
  if (override) {
    where = `environment variable ${override[1]}`;
    details = { variable: override[1], key: keyPath };
  } else {
    const file = source?.file ?? options.file ?? '(defaults)';
    const position = source ? positionOf(source, key ? path.slice(0, -1) : path, key) : undefined;
    where = position ? `${file}:${position.line}:${position.column}` : file;
    details = { file, line: position?.line, column: position?.column, key: keyPath };
  }
  throw new FaultlineError(options.code ?? 'FL_ERR_CONFIG_INVALID', `${where}: ${keyPath}: ${problem}`, details);
}
