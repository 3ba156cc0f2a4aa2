/**
 * SQL fragments with their bound values. Compilers build these so that user values only ever
 * travel as parameters; the text holds nothing but SQL written here.
 */
import type { SQLInputValue } from 'node:sqlite';

export interface Sql {
  readonly text: string;
  readonly params: readonly SQLInputValue[];
}

export function sql(text: string, ...params: SQLInputValue[]): Sql {
  return { text, params };
}

export const TRUE: Sql = sql('1');
export const FALSE: Sql = sql('0');

/** Concatenates fragments, keeping their parameters in order. */
export function concat(...parts: readonly (Sql | string)[]): Sql {
  let text = '';
  const params: SQLInputValue[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
    } else {
      text += part.text;
      params.push(...part.params);
    }
  }
  return { text, params };
}

export function joinSql(parts: readonly Sql[], separator: string): Sql {
  const pieces: (Sql | string)[] = [];
  parts.forEach((part, index) => {
    if (index > 0) pieces.push(separator);
    pieces.push(part);
  });
  return concat(...pieces);
}
