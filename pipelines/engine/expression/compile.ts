/**
 * Compiles a condition's syntax tree into a function over the event: the condition's text is
 * never evaluated as code, the regular expressions are checked for safety and compiled once.
 * Semantics, in short: a missing field compares false (and `!=` true); a field holding an array
 * matches when any element does; a number and a numeric string compare as numbers; `<`, `>` on
 * two strings compare them as text.
 *
 * The commonest forms (`and`, `or`, `not`, `exists`, a field against text, a field in a list of
 * texts, a field against a regular expression, a field's truthiness) become one generated function
 * per condition, with the field walks written out (field-path.ts), as for accessors: closures
 * of one shape per node kind would share V8's call sites between every condition of every
 * pipeline and call each other through megamorphic calls. Field names enter the code only as JSON
 * string literals; literals, sets and regular expressions come in as values. Other forms are the
 * closures below, called from the generated code.
 */
import type { JsonObject, JsonValue } from '../../../core/event/types.ts';
import { checkRegex } from '../../regex/safety.ts';
import { fieldExpression, fieldPath } from '../field-path.ts';
import type { CompareOperator, Expression, Literal, Operand } from './ast.ts';
import { ExpressionError, parseExpression } from './parser.ts';

export type Condition = (event: JsonObject) => boolean;

type Value = JsonValue | undefined;
type Getter = (event: JsonObject) => Value;

/** Parses and compiles a condition; throws ExpressionError with the column of the problem. */
export function compileCondition(text: string, maxInputLength: number): Condition {
  return generate(parseExpression(text), maxInputLength);
}

/** Lists of texts up to this long are tested with `===` rather than a Set. */
const SHORT_LIST = 8;

/** Writes the condition as one function; see the header for why. */
function generate(root: Expression, maxInputLength: number): Condition {
  const values: unknown[] = [];
  let temps = 0;
  const value = (item: unknown): string => `k${values.push(item) - 1}`;
  const temp = (): string => `t${temps++}`;
  const code = (node: Expression): string => {
    switch (node.kind) {
      case 'or':
        return `(${code(node.left)} || ${code(node.right)})`;
      case 'and':
        return `(${code(node.left)} && ${code(node.right)})`;
      case 'not':
        return `!${code(node.operand)}`;
      case 'exists': {
        const t = temp();
        return `((${t} = ${fieldExpression(node.path, 'event', t)}) !== undefined && ${t} !== null)`;
      }
      case 'truthy': {
        if (node.operand.kind !== 'field') break;
        const t = temp();
        return `((${t} = ${fieldExpression(node.operand.path, 'event', t)}) !== undefined && (Array.isArray(${t}) ? ${t}.some(${value(truthy)}) : ${t} !== null && ${t} !== false && ${t} !== "" && ${t} !== 0))`;
      }
      case 'compare': {
        const literal = node.right.kind === 'literal' ? node.right.value : undefined;
        if (node.left.kind !== 'field' || (node.operator !== '==' && node.operator !== '!=') || !isPlainText(literal)) break;
        const t = temp();
        const text = value(literal);
        const same = `((${t} = ${fieldExpression(node.left.path, 'event', t)}) === ${text} || (Array.isArray(${t}) && ${t}.includes(${text})))`;
        return node.operator === '==' ? same : `!${same}`;
      }
      case 'in': {
        if (node.needle.kind !== 'field' || !Array.isArray(node.haystack) || !node.haystack.every(isPlainText)) break;
        const t = temp();
        const texts = new Set(node.haystack);
        // A short list as comparisons: a Set would hash the event's string (a new one each event) first.
        const member = texts.size <= SHORT_LIST ? `(${[...texts].map((text) => `${t} === ${value(text)}`).join(' || ') || 'false'})` : `${value(texts)}.has(${t})`;
        return `(typeof (${t} = ${fieldExpression(node.needle.path, 'event', t)}) === "string" ? ${member} : Array.isArray(${t}) && ${t}.some(${value(textMember(texts))}))`;
      }
      case 'match': {
        if (node.subject.kind !== 'field') break;
        const t = temp();
        const matches = value(matcher(node, maxInputLength));
        return `((${t} = ${fieldExpression(node.subject.path, 'event', t)}) !== undefined && (Array.isArray(${t}) ? ${t}.some(${matches}) : ${matches}(${t})))`;
      }
    }
    return `${value(compile(node, maxInputLength))}(event)`;
  };
  const body = code(root);
  const lines = [
    ...values.map((_, index) => `const k${index} = values[${index}];`),
    'return function condition(event) {',
    ...(temps === 0 ? [] : [`  let ${Array.from({ length: temps }, (_, index) => `t${index}`).join(', ')};`]),
    `  return ${body};`,
    '};',
  ];
  return (new Function('values', lines.join('\n')) as (values: readonly unknown[]) => Condition)(values);
}

/** Whether a value is one of the texts (a string in the set). */
function textMember(texts: ReadonlySet<string>): (value: JsonValue) => boolean {
  return (value) => typeof value === 'string' && texts.has(value);
}

/** The test of a `=~`/`!~` node's regular expression on one value; checked for safety first. */
function matcher(node: Extract<Expression, { kind: 'match' }>, maxInputLength: number): (value: JsonValue) => boolean {
  const problem = checkRegex(node.source, node.flags);
  if (problem !== undefined) throw new ExpressionError(problem, node.position);
  const regex = new RegExp(node.source, node.flags);
  return (value) => {
    if (value === null || typeof value === 'object') return false;
    const text = typeof value === 'string' ? value : String(value);
    // Past the length limit a condition is false rather than a risk to the process.
    return text.length <= maxInputLength && regex.test(text);
  };
}

/** The forms the generated code calls rather than writes out: comparisons with numbers or between fields, and literal operands. */
type Leaf = Extract<Expression, { kind: 'truthy' | 'compare' | 'in' | 'match' }>;

function compile(node: Leaf, maxInputLength: number): Condition {
  switch (node.kind) {
    case 'truthy': {
      const get = getter(node.operand);
      return (event) => anyOf(get(event), truthy);
    }
    case 'compare':
      return compileCompare(node.operator, getter(node.left), getter(node.right));
    case 'in': {
      const needle = getter(node.needle);
      if (Array.isArray(node.haystack)) {
        const items: readonly Literal[] = node.haystack;
        const listed = (value: JsonValue): boolean => {
          for (let index = 0; index < items.length; index++) if (equals(value, items[index] as Literal)) return true;
          return false;
        };
        return (event) => anyOf(needle(event), listed);
      }
      const haystack = getter(node.haystack);
      return (event) => {
        const value = needle(event);
        return value !== undefined && anyOf(haystack(event), (item) => anyOf(value, (candidate) => equals(candidate, item)));
      };
    }
    case 'match': {
      const matches = matcher(node, maxInputLength);
      const get = getter(node.subject);
      return (event) => anyOf(get(event), matches);
    }
  }
}

function getter(operand: Operand): Getter {
  if (operand.kind === 'field') return fieldPath(operand.path).get;
  const value = operand.value;
  return () => value;
}

function compileCompare(operator: CompareOperator, left: Getter, right: Getter): Condition {
  switch (operator) {
    case '==':
      return (event) => pairs(left(event), right(event), equals);
    case '!=':
      return (event) => !pairs(left(event), right(event), equals);
    case '<':
      return (event) => pairs(left(event), right(event), less);
    case '<=':
      return (event) => pairs(left(event), right(event), lessOrEqual);
    case '>':
      return (event) => pairs(left(event), right(event), greater);
    case '>=':
      return (event) => pairs(left(event), right(event), greaterOrEqual);
  }
}

const less = (a: JsonValue, b: JsonValue): boolean => order(a, b) < 0;
const lessOrEqual = (a: JsonValue, b: JsonValue): boolean => order(a, b) <= 0;
const greater = (a: JsonValue, b: JsonValue): boolean => order(a, b) > 0;
const greaterOrEqual = (a: JsonValue, b: JsonValue): boolean => order(a, b) >= 0;

/** Applies a test to every element of an array value (any must pass), or to the value itself. */
function anyOf(value: Value, test: (item: JsonValue) => boolean): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.some(test);
  return test(value);
}

function pairs(left: Value, right: Value, test: (a: JsonValue, b: JsonValue) => boolean): boolean {
  if (left === undefined || right === undefined) return left === undefined && right === null ? test(null, null) : false;
  // Two plain values, the common case, without the closures that arrays need.
  if (!Array.isArray(left) && !Array.isArray(right)) return test(left, right);
  return anyOf(left, (a) => anyOf(right, (b) => test(a, b)));
}

/** A string that no comparison would read as a number: equal only to itself. */
function isPlainText(value: Literal | undefined): value is string {
  return typeof value === 'string' && (value.trim() === '' || Number.isNaN(Number(value)));
}

function truthy(value: JsonValue): boolean {
  return value !== null && value !== false && value !== '' && value !== 0;
}

function asNumber(value: JsonValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isNaN(number) ? undefined : number;
  }
  return undefined;
}

function equals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== undefined && x === y;
  }
  return false;
}

/** Negative, zero or positive; NaN when the two cannot be ordered (every comparison is then false). */
function order(a: JsonValue, b: JsonValue): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x !== undefined && y !== undefined) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = asNumber(a);
  const y = asNumber(b);
  return x !== undefined && y !== undefined ? x - y : Number.NaN;
}
