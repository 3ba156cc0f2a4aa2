/**
 * Pipeline YAML with source positions, so that every load error names `file:line:col`.
 * (core/config/source.ts, in progress beside this, does the same for the configuration file; the
 * two can merge once it is committed.)
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

export type KeyPath = readonly (string | number)[];

export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /** `file:line:col` of the value at `path`, or of the key `keyOf` inside it; falls back to the nearest ancestor. */
  locate(path: KeyPath, keyOf?: string): string;
}

export type ParseResult = { ok: true; source: YamlSource } | { ok: false; message: string; line?: number; column?: number };

export function parseYaml(file: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const at = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0] ?? first.message;
    return { ok: false, message: `${file}:${at.line}:${at.col}: not valid YAML: ${reason}`, line: at.line, column: at.col };
  }
  return {
    ok: true,
    source: {
      file,
      data: document.toJS({ maxAliasCount: 100 }),
      locate: (path, keyOf) => {
        const offset = offsetOf(document, path, keyOf);
        if (offset === undefined) return file;
        const at = lineCounter.linePos(offset);
        return `${file}:${at.line}:${at.col}`;
      },
    },
  };
}

function offsetOf(document: Document.Parsed, path: KeyPath, keyOf: string | undefined): number | undefined {
  let node: unknown = document.contents;
  let best = rangeStart(node);
  // For a path that goes missing (a required key), the key that holds the last map found reads best.
  let lastKey: number | undefined;
  for (const segment of path) {
    const child = childOf(node, segment);
    if (child === undefined) return lastKey ?? best;
    node = child.value;
    lastKey = rangeStart(child.key) ?? lastKey;
    best = rangeStart(child.value) ?? rangeStart(child.key) ?? best;
  }
  if (keyOf !== undefined) {
    const child = childOf(node, keyOf);
    if (child !== undefined) best = rangeStart(child.key) ?? best;
  }
  return best;
}

function childOf(node: unknown, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment)) return { key: item.key, value: item.value };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

/** `processors[2].grok.patterns[0]`. */
export function formatPath(path: KeyPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(top level)' : text;
}
