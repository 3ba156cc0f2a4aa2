/**
 * Grok expressions to native regular expressions: `%{NAME}`, `%{NAME:field}` and
 * `%{NAME:field:int|float}` are expanded from the library and custom definitions into ONE RegExp
 * per expression, each capture a numbered group mapped to its field. Raw named groups
 * (`(?<queue_id>\w+)`) work too, and may name dotted fields.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { OptionError } from '../../engine/contract.ts';
import { fieldPath, type FieldPath } from '../../engine/field-path.ts';
import { suggest } from '../../engine/load/problems.ts';
import { checkRegex } from '../../regex/safety.ts';

export const captureTypes = ['int', 'float'] as const;
export type CaptureType = (typeof captureTypes)[number];

export interface Capture {
  /** Index of the capturing group in the match array. */
  readonly index: number;
  readonly field: FieldPath;
  readonly type: CaptureType | undefined;
}

export interface GrokExpression {
  readonly source: string;
  readonly regex: RegExp;
  readonly captures: readonly Capture[];
}

const REFERENCE = /%\{(\w+)(?::([\w@.[\]-]+))?(?::(\w+))?\}/g;
const RAW_NAMED_GROUP = /\(\?<([A-Za-z_@][\w@.]*)>/g;
const parser = new RegExpParser({ ecmaVersion: 2025 });

interface Pending {
  readonly name: string;
  readonly field: string;
  readonly type: CaptureType | undefined;
}

/** Compiles one grok expression; problems are OptionErrors at `path`. */
export function compileGrok(
  pattern: string,
  definitions: Readonly<Record<string, string>>,
  path: readonly (string | number)[],
): GrokExpression {
  const pending: Pending[] = [];
  const expand = (text: string, stack: readonly string[]): string => {
    const withRawGroups = text.replace(RAW_NAMED_GROUP, (_, field: string) => {
      const name = `g${pending.length}`;
      pending.push({ name, field, type: undefined });
      return `(?<${name}>`;
    });
    return withRawGroups.replace(REFERENCE, (_, patternName: string, field: string | undefined, type: string | undefined) => {
      const definition = definitions[patternName];
      if (definition === undefined) {
        throw new OptionError(path, `unknown grok pattern '${patternName}'${suggest(patternName, Object.keys(definitions))}; see the pattern library or add it to pattern_definitions`);
      }
      if (stack.includes(patternName)) throw new OptionError(path, `grok pattern '${patternName}' refers to itself: ${[...stack, patternName].join(' -> ')}`);
      if (type !== undefined && !(captureTypes as readonly string[]).includes(type)) {
        throw new OptionError(path, `unknown grok type '${type}' in %{${patternName}:${field}:${type}}; valid: ${captureTypes.join(', ')}`);
      }
      const inner = expand(definition, [...stack, patternName]);
      if (field === undefined) return `(?:${inner})`;
      const name = `g${pending.length}`;
      pending.push({ name, field: logstashField(field), type: type as CaptureType | undefined });
      return `(?<${name}>${inner})`;
    });
  };
  const source = expand(pattern, []);
  const problem = checkRegex(source);
  if (problem !== undefined) throw new OptionError(path, `${problem}; in the expansion of ${JSON.stringify(pattern)}`);
  const indexes = groupIndexes(source);
  const captures = pending.map(({ name, field, type }) => {
    if (field === '' || field.startsWith('.') || field.endsWith('.') || field.includes('..')) throw new OptionError(path, `invalid field name '${field}'`);
    return { index: indexes.get(name) as number, field: fieldPath(field), type };
  });
  // Named groups make V8 build a `groups` object on every match; plain groups read by index do not.
  const runtimeSource = source.includes('\\k<') ? source : source.replace(/\(\?<(g\d+)>/g, '(');
  return { source, regex: new RegExp(runtimeSource), captures };
}

/** `[source][ip]` (Logstash) becomes `source.ip`. */
function logstashField(field: string): string {
  return field.startsWith('[') ? field.replace(/^\[|\]$/g, '').split('][').join('.') : field;
}

/** The match-array index of every named capturing group. */
function groupIndexes(source: string): Map<string, number> {
  const pattern = parser.parsePattern(source, 0, source.length, { unicode: false });
  const groups: AST.CapturingGroup[] = [];
  const visit = (node: AST.Node): void => {
    if (node.type === 'CapturingGroup') groups.push(node);
    if (node.type === 'Pattern' || node.type === 'Group' || node.type === 'CapturingGroup') node.alternatives.forEach(visit);
    else if (node.type === 'Assertion' && (node.kind === 'lookahead' || node.kind === 'lookbehind')) node.alternatives.forEach(visit);
    else if (node.type === 'Alternative') node.elements.forEach(visit);
    else if (node.type === 'Quantifier') visit(node.element);
  };
  visit(pattern);
  groups.sort((a, b) => a.start - b.start);
  const indexes = new Map<string, number>();
  groups.forEach((group, position) => {
    if (group.name !== null) indexes.set(group.name, position + 1);
  });
  return indexes;
}
