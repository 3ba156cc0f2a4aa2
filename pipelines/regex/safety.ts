/**
 * Static refusal of regular expressions that can backtrack exponentially (ReDoS), run at load on
 * every user-supplied pattern (grok expressions and custom patterns, `regex`, `gsub`, `kv`, `split`,
 * `=~`). V8's engine backtracks and cannot be interrupted, so a pattern like `(a+)+$` on a long
 * line of `a`s would stop the whole process; the second guard is the per-match input length limit.
 *
 * The check works on the parsed pattern (regexpp) and is deliberately conservative. Inside a
 * quantifier that repeats many times (`*`, `+`, `{10,}`), it refuses:
 * - a nested quantifier whose text could also be taken by what follows it, including the next
 *   iteration of the outer loop: `(a+)+`, `(a*)*`, `(\w+\s?)*`, `(x+x+)+y`;
 * - alternatives that cannot be told apart by their first characters: `(a|a)*`, `(a|aa)*`, `(\d|\w)+`.
 * Exclusive repeated parts stay allowed: `(?:[a-z]+\.)+`, `(?:[^"\\]|\\.)*`, `(?:GET|POST)+`.
 * Polynomial patterns (`.*.*`) are allowed; the input length limit bounds them.
 */
import { RegExpParser, RegExpSyntaxError, type AST } from '@eslint-community/regexpp';
import { CharSet } from './char-set.ts';

/** A quantifier repeating at least this many times counts as a loop that can amplify ambiguity. */
const LOOP_MIN_MAX = 10;

const parser = new RegExpParser({ ecmaVersion: 2025 });

/** Why the pattern is unsafe or invalid, or undefined when it may be used. */
export function checkRegex(source: string, flags = ''): string | undefined {
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, 0, source.length, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
    new RegExp(source, flags);
  } catch (error) {
    const message = error instanceof RegExpSyntaxError || error instanceof SyntaxError ? error.message : String(error);
    return `invalid regular expression: ${message.replace(/^Invalid regular expression: /, '')}`;
  }
  const analysis = new Analysis(flags.includes('i'), flags.includes('s'));
  return analysis.check(pattern);
}

type Container = AST.Pattern | AST.Group | AST.CapturingGroup | AST.LookaroundAssertion;

class Analysis {
  private readonly ignoreCase: boolean;
  private readonly dotAll: boolean;
  private readonly firstCache = new Map<AST.Node, CharSet>();

  constructor(ignoreCase: boolean, dotAll: boolean) {
    this.ignoreCase = ignoreCase;
    this.dotAll = dotAll;
  }

  check(pattern: AST.Pattern): string | undefined {
    for (const loop of quantifiers(pattern)) {
      if (loop.max < LOOP_MIN_MAX) continue;
      for (const inner of quantifiers(loop.element)) {
        if (inner.max <= inner.min) continue;
        const repeated = this.first(inner.element);
        if (repeated.isEmpty()) continue;
        if (this.follow(inner, loop).intersects(repeated)) {
          return (
            `unsafe regular expression: '${inner.raw}' inside the repeated '${loop.raw}' can match the same text in more than one way, ` +
            `so a failing match can take exponential time; make the repeated parts exclusive (e.g. '(?:[^,]+,)+')`
          );
        }
      }
      for (const container of containers(loop.element)) {
        const ambiguous = this.ambiguousAlternatives(container);
        if (ambiguous) {
          return (
            `unsafe regular expression: the alternatives '${ambiguous[0]}' and '${ambiguous[1]}' inside the repeated '${loop.raw}' ` +
            `can match the same text, so a failing match can take exponential time; make the alternatives start differently`
          );
        }
      }
    }
    return undefined;
  }

  /** Characters that can come right after `node` inside one or more iterations of `loop`. */
  private follow(node: AST.Node, loop: AST.Quantifier): CharSet {
    const result = new CharSet();
    let current: AST.Node = node;
    for (;;) {
      const parent: AST.Node | null = current.parent;
      if (parent === null || parent.type === 'Pattern' || parent.type === 'RegExpLiteral') return result;
      if (parent.type === 'Alternative') {
        const index = parent.elements.indexOf(current as AST.Element);
        let blocked = false;
        for (const element of parent.elements.slice(index + 1)) {
          result.addAll(this.first(element));
          if (!this.nullable(element)) {
            blocked = true;
            break;
          }
        }
        if (blocked) return result;
      } else if (parent.type === 'Quantifier') {
        if (parent.max > 1) result.addAll(this.first(parent.element));
        if (parent === loop) return result;
      } else if (parent.type === 'Assertion') {
        return result;
      }
      current = parent;
    }
  }

  /** Two alternatives of a group that its first characters do not tell apart, or undefined. */
  private ambiguousAlternatives(container: Container): [string, string] | undefined {
    const alternatives = container.alternatives;
    for (let i = 0; i < alternatives.length; i++) {
      for (let j = i + 1; j < alternatives.length; j++) {
        const a = alternatives[i] as AST.Alternative;
        const b = alternatives[j] as AST.Alternative;
        if (!this.distinguishable(a.elements, b.elements)) return [a.raw, b.raw];
      }
    }
    return undefined;
  }

  /** True when no text can start both sequences (compared position by position while both are single characters). */
  private distinguishable(a: readonly AST.Element[], b: readonly AST.Element[]): boolean {
    for (let index = 0; ; index++) {
      const left = a[index];
      const right = b[index];
      if (left === undefined || right === undefined) return false;
      if (isSingleCharacter(left) && isSingleCharacter(right)) {
        if (!this.first(left).intersects(this.first(right))) return true;
        continue;
      }
      const restA = a.slice(index);
      const restB = b.slice(index);
      if (restA.every((element) => this.nullable(element)) || restB.every((element) => this.nullable(element))) return false;
      return !this.firstOfSequence(restA).intersects(this.firstOfSequence(restB));
    }
  }

  private firstOfSequence(elements: readonly AST.Element[]): CharSet {
    const result = new CharSet();
    for (const element of elements) {
      result.addAll(this.first(element));
      if (!this.nullable(element)) break;
    }
    return result;
  }

  /** Characters a match of the node can start with (a superset where exactness would cost). */
  private first(node: AST.Node): CharSet {
    let cached = this.firstCache.get(node);
    if (cached === undefined) {
      cached = this.computeFirst(node);
      this.firstCache.set(node, cached);
    }
    return cached;
  }

  private computeFirst(node: AST.Node): CharSet {
    if (node.type === 'Character') return CharSet.of(node.value, this.ignoreCase);
    if (node.type === 'CharacterSet') {
      if (node.kind === 'any') return this.dotAll ? CharSet.all() : CharSet.all().without(0x0a).without(0x0d);
      if (node.kind === 'property') return CharSet.all();
      return CharSet.escape(node.kind, node.negate);
    }
    if (node.type === 'CharacterClass') {
      const set = new CharSet();
      for (const element of node.elements) set.addAll(this.classElement(element));
      return node.negate ? set.complement() : set;
    }
    if (node.type === 'Quantifier') return node.max === 0 ? new CharSet() : this.first(node.element);
    if (node.type === 'Group' || node.type === 'CapturingGroup' || node.type === 'Pattern') {
      const set = new CharSet();
      for (const alternative of node.alternatives) set.addAll(this.first(alternative));
      return set;
    }
    if (node.type === 'Alternative') return this.firstOfSequence(node.elements);
    if (node.type === 'Assertion') return new CharSet();
    // Backreferences, v-flag class expressions and anything newer: assume any character.
    return CharSet.all();
  }

  private classElement(element: AST.CharacterClassElement): CharSet {
    if (element.type === 'Character') return CharSet.of(element.value, this.ignoreCase);
    if (element.type === 'CharacterClassRange') return CharSet.range(element.min.value, element.max.value, this.ignoreCase);
    if (element.type === 'CharacterSet' && element.kind !== 'property') return CharSet.escape(element.kind, element.negate);
    return CharSet.all();
  }

  private nullable(node: AST.Node): boolean {
    if (node.type === 'Assertion' || node.type === 'Backreference') return true;
    if (node.type === 'Quantifier') return node.min === 0 || this.nullable(node.element);
    if (node.type === 'Group' || node.type === 'CapturingGroup') return node.alternatives.some((alternative) => this.nullable(alternative));
    if (node.type === 'Alternative') return node.elements.every((element) => this.nullable(element));
    return false;
  }
}

function isSingleCharacter(element: AST.Element): boolean {
  return element.type === 'Character' || element.type === 'CharacterSet' || element.type === 'CharacterClass';
}

/** Every quantifier at or below a node, outermost first. */
function* quantifiers(node: AST.Node): Generator<AST.Quantifier> {
  for (const child of walk(node)) if (child.type === 'Quantifier') yield child;
}

/** Every group with alternatives at or below a node. */
function* containers(node: AST.Node): Generator<Container> {
  for (const child of walk(node)) {
    if (child.type === 'Group' || child.type === 'CapturingGroup') yield child;
  }
}

function* walk(node: AST.Node): Generator<AST.Node> {
  yield node;
  if (node.type === 'Pattern' || node.type === 'Group' || node.type === 'CapturingGroup') {
    for (const alternative of node.alternatives) yield* walk(alternative);
  } else if (node.type === 'Assertion' && (node.kind === 'lookahead' || node.kind === 'lookbehind')) {
    for (const alternative of node.alternatives) yield* walk(alternative);
  } else if (node.type === 'Alternative') {
    for (const element of node.elements) yield* walk(element);
  } else if (node.type === 'Quantifier') {
    yield* walk(node.element);
  }
}
