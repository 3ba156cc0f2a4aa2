/**
 * Dissect patterns (Elasticsearch's syntax): text split on the literal delimiters between
 * `%{...}` keys, without regular expressions. Key modifiers: `%{}` or `%{?name}` skip, `%{+name}`
 * append (`%{+name/2}` in order 2), `%{name->}` skip repeated delimiters after it, `%{*name}` and
 * `%{&name}` a key taken from the text and its value.
 */
export type KeyKind = 'normal' | 'skip' | 'append' | 'reference_key' | 'reference_value';

export interface DissectKey {
  readonly name: string;
  readonly kind: KeyKind;
  readonly order: number;
  readonly padded: boolean;
  /** The literal text that ends this key's value; '' for the last key (takes the rest). */
  readonly delimiter: string;
}

export interface DissectPattern {
  readonly prefix: string;
  readonly keys: readonly DissectKey[];
}

const KEY = /%\{([^}]*)\}/g;

/** Parses a pattern; throws an Error with the problem. */
export function parseDissect(pattern: string): DissectPattern {
  const pieces: { spec: string; start: number; end: number }[] = [];
  for (const match of pattern.matchAll(KEY)) pieces.push({ spec: match[1] as string, start: match.index, end: match.index + match[0].length });
  if (pieces.length === 0) throw new Error('a dissect pattern needs at least one %{key}');
  const prefix = pattern.slice(0, (pieces[0] as { start: number }).start);
  const keys = pieces.map((piece, index) => {
    const next = pieces[index + 1];
    const delimiter = pattern.slice(piece.end, next === undefined ? pattern.length : next.start);
    if (delimiter === '' && next !== undefined) throw new Error(`keys '%{${piece.spec}}' and '%{${next.spec}}' need a delimiter between them`);
    return parseKey(piece.spec, delimiter);
  });
  const references = keys.filter((key) => key.kind === 'reference_key').map((key) => key.name);
  for (const key of keys) {
    if (key.kind === 'reference_value' && !references.includes(key.name)) throw new Error(`'%{&${key.name}}' has no matching '%{*${key.name}}'`);
  }
  return { prefix, keys };
}

function parseKey(spec: string, delimiter: string): DissectKey {
  let text = spec;
  const padded = text.endsWith('->');
  if (padded) text = text.slice(0, -2);
  let kind: KeyKind = 'normal';
  const modifier = text[0];
  if (text === '' || modifier === '?') kind = 'skip';
  else if (modifier === '+') kind = 'append';
  else if (modifier === '*') kind = 'reference_key';
  else if (modifier === '&') kind = 'reference_value';
  if (kind !== 'normal' && text !== '') text = text.slice(1);
  let order = 0;
  const slash = text.lastIndexOf('/');
  if (kind === 'append' && slash !== -1) {
    order = Number(text.slice(slash + 1));
    if (!Number.isInteger(order)) throw new Error(`'%{${spec}}': the append order after / must be a number`);
    text = text.slice(0, slash);
  }
  if (kind !== 'skip' && (text === '' || /[\s{}%]/.test(text))) throw new Error(`'%{${spec}}' is not a valid key name`);
  return { name: text, kind, order, padded, delimiter };
}

/** Splits text by the pattern: the value of each key in order, or undefined when it does not match. */
export function splitDissect(pattern: DissectPattern, text: string): string[] | undefined {
  if (!text.startsWith(pattern.prefix)) return undefined;
  let position = pattern.prefix.length;
  const values: string[] = [];
  for (const key of pattern.keys) {
    if (key.delimiter === '') {
      values.push(text.slice(position));
      position = text.length;
      continue;
    }
    const end = text.indexOf(key.delimiter, position);
    if (end === -1) return undefined;
    values.push(text.slice(position, end));
    position = end + key.delimiter.length;
    if (key.padded) while (text.startsWith(key.delimiter, position)) position += key.delimiter.length;
  }
  return values;
}
