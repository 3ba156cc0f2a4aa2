/**
 * Load problems: each names the key path and what is accepted; all of a load's problems are
 * reported together as one FL_ERR_PIPELINE_INVALID error (one `file:line:col: key: problem` a line).
 */
import type { z } from 'zod';
import { FaultlineError } from '../../../core/errors.ts';
import { formatPath, type KeyPath, type YamlSource } from './pipeline-source.ts';

export interface Problem {
  readonly where: string;
  readonly key: string;
  readonly message: string;
}

export class Problems {
  readonly list: Problem[] = [];
  private readonly files: string[] = [];

  /** Records a file's place in the load order, so problems are reported file by file in that order. */
  noteFile(file: string): void {
    if (!this.files.includes(file)) this.files.push(file);
  }

  /** A problem with the value at `path`, or with the key `keyOf` inside it (unknown keys). */
  add(source: YamlSource, path: KeyPath, message: string, keyOf?: string): void {
    const key = formatPath(keyOf === undefined ? path : [...path, keyOf]);
    this.list.push({ where: source.locate(path, keyOf), key, message });
  }

  addRaw(where: string, key: string, message: string): void {
    this.list.push({ where, key, message });
  }

  /** Adds every issue of a failed zod parse of the value at `path`. */
  addZod(source: YamlSource, path: KeyPath, error: z.ZodError, validKeys: readonly string[], data: unknown): void {
    for (const issue of error.issues) {
      const relative = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
      const at = [...path, ...relative];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const hint = suggest(key, validKeys);
          this.add(source, at, `unknown option '${key}'${hint}; valid: ${validKeys.join(', ')}`, key);
        }
      } else if (issue.code === 'invalid_type') {
        const value = valueAt(data, relative);
        const expected = issue.expected === 'int' ? 'integer' : issue.expected;
        this.add(source, at, value === undefined ? `required (${expected})` : `expected ${expected}, got ${describe(value)}`);
      } else if (issue.code === 'invalid_value') {
        this.add(source, at, `expected one of: ${issue.values.map((value) => String(value)).join(', ')}`);
      } else {
        this.add(source, at, issue.message);
      }
    }
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    // In reading order within a file; files in the order they were loaded.
    const files = [...new Set([...this.files, ...this.list.map((problem) => problem.where.replace(/:\d+:\d+$/, ''))])];
    const rank = (problem: Problem): [number, number, number] => {
      const match = /:(\d+):(\d+)$/.exec(problem.where);
      return [files.indexOf(problem.where.replace(/:\d+:\d+$/, '')), Number(match?.[1] ?? 0), Number(match?.[2] ?? 0)];
    };
    this.list.sort((a, b) => {
      const [fa, la, ca] = rank(a);
      const [fb, lb, cb] = rank(b);
      return fa - fb || la - lb || ca - cb;
    });
    const lines = this.list.map((problem) => `${problem.where}: ${problem.key}: ${problem.message}`);
    const first = this.list[0] as Problem;
    const position = /^(.*):(\d+):(\d+)$/.exec(first.where);
    throw new FaultlineError('FL_ERR_PIPELINE_INVALID', lines.join('\n'), {
      file: position ? position[1] : first.where,
      line: position ? Number(position[2]) : undefined,
      column: position ? Number(position[3]) : undefined,
      key: first.key,
      problems: lines,
    });
  }
}

/** `; did you mean 'grok'?` when a valid name is a small edit away. */
export function suggest(name: string, valid: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of valid) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
