/**
 * Compiles a condition's syntax tree into a closure over the event: the condition's text is
 * never evaluated as code (field names go through field-path.ts, which embeds them only as string
 * literals), the regular expressions are checked for safety and compiled once. Semantics, in short: a missing field
 * compares false (and `!=` true); a field holding an array matches when any element does; a number
 * and a numeric string compare as numbers; `<`, `>` on two strings compare them as text.
 */
import type { JsonObject, JsonValue } from '../../../core/event/types.ts';
import { checkRegex } from '../../regex/safety.ts';
import { fieldPath } from '../field-path.ts';
import type { CompareOperator, Expression, Literal, Operand } from './ast.ts';
import { ExpressionError, parseExpression } from './parser.ts';

export type Condition = (event: JsonObject) => boolean;

type Value = JsonValue | undefined;
type Getter = (event: JsonObject) => Value;

/** Parses and compiles a condition; throws ExpressionError with the column of the problem. */
export function compileCondition(text: string, maxInputLength: number): Condition {
  return compile(parseExpression(text), maxInputLength);
}

function compile(node: Expression, maxInputLength: number): Condition {
  switch (node.kind) {
    case 'or': {
      const left = compile(node.left, maxInputLength);
      const right = compile(node.right, maxInputLength);
      return (event) => left(event) || right(event);
    }
    case 'and': {
      const left = compile(node.left, maxInputLength);
      const right = compile(node.right, maxInputLength);
      return (event) => left(event) && right(event);
    }
    case 'not': {
      const operand = compile(node.operand, maxInputLength);
      return (event) => !operand(event);
    }
    case 'exists': {
      const get = fieldPath(node.path).get;
      return (event) => {
        const value = get(event);
        return value !== undefined && value !== null;
      };
    }
    case 'truthy': {
      const get = getter(node.operand);
      return (event) => anyOf(get(event), truthy);
    }
    case 'compare': {
      const literal = node.right.kind === 'literal' ? node.right.value : undefined;
      if (node.left.kind === 'field' && (node.operator === '==' || node.operator === '!=') && isPlainText(literal)) {
        // A field against text that is not a number, the commonest test: strict equality says it all.
        const get = fieldPath(node.left.path).get;
        const same = (event: JsonObject): boolean => {
          const value = get(event);
          return value === literal || (Array.isArray(value) && value.includes(literal));
        };
        return node.operator === '==' ? same : (event) => !same(event);
      }
      return compileCompare(node.operator, getter(node.left), getter(node.right));
    }
    case 'in': {
      const needle = getter(node.needle);
      if (Array.isArray(node.haystack)) {
        const items: readonly Literal[] = node.haystack;
        if (items.every(isPlainText)) {
          const texts = new Set(items);
          const member = (value: JsonValue): boolean => typeof value === 'string' && texts.has(value);
          return (event) => anyOf(needle(event), member);
        }
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
      const problem = checkRegex(node.source, node.flags);
      if (problem !== undefined) throw new ExpressionError(problem, node.position);
      const regex = new RegExp(node.source, node.flags);
      const get = getter(node.subject);
      const matches = (value: JsonValue): boolean => {
        if (value === null || typeof value === 'object') return false;
        const text = typeof value === 'string' ? value : String(value);
        // Past the length limit a condition is false rather than a risk to the process.
        return text.length <= maxInputLength && regex.test(text);
      };
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
