/**
 * YAML with source positions: parse a document and find the line and column of any key path in
 * it, so that configuration, pipeline and rule errors can name file, line and key.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { FaultlineError, type ErrorCode } from '../errors.ts';

export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

export interface Position {
  line: number;
  column: number;
}

/** Parses YAML text; a syntax error is a FaultlineError naming file, line and column. */
export function parseYamlSource(file: string, text: string, code: ErrorCode = 'FL_ERR_CONFIG_INVALID'): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const at = lineCounter.linePos(first.pos[0]);
    const where = `${file}:${at.line}:${at.col}`;
    const reason = first.message.split('\n')[0] ?? first.message;
    throw new FaultlineError(code, `${where}: not valid YAML: ${reason}`, { file, line: at.line, column: at.col });
  }
  return { file, document, lineCounter };
}

/**
 * The position of a key path (`['store', 'type']`, `['inputs', 0, 'port']`). With `keyOf` the
 * position of that key inside the map at `path` (for unknown keys); otherwise the value's.
 * Falls back to the deepest ancestor that exists.
 */
export function positionOf(source: YamlSource, path: readonly PropertyKey[], keyOf?: string): Position | undefined {
  let node: unknown = source.document.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (const segment of path) {
    const next = childOf(node, segment);
    if (!next) break;
    node = next.value ?? next.key;
    best = (isNode(next.value) ? next.value : undefined) ?? (isNode(next.key) ? next.key : best);
  }
  if (keyOf !== undefined) {
    const pair = childOf(node, keyOf);
    if (pair && isNode(pair.key)) best = pair.key;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return undefined;
  const at = source.lineCounter.linePos(offset);
  return { line: at.line, column: at.col };
}

function childOf(node: unknown, segment: PropertyKey): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
