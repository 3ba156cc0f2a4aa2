/**
 * RFC 5424 STRUCTURED-DATA: `[id param="value" ...][id2 ...]` into `{id: {param: value}}`.
 * Inside values `\"`, `\\` and `\]` stand for the character; any other backslash is kept as
 * written (RFC 5424 section 6.3.3). A repeated parameter keeps its last value.
 */
import type { JsonObject } from '../../../core/event/types.ts';

const SPACE = 32;
const QUOTE = 34;
const EQUALS = 61;
const OPEN = 91;
const BACKSLASH = 92;
const CLOSE = 93;

export interface StructuredData {
  readonly value: JsonObject;
  /** Index just past the last `]`. */
  readonly end: number;
}

/** Parses the SD elements starting at `start` (which holds `[`); undefined when malformed. */
export function parseStructuredData(text: string, start: number): StructuredData | undefined {
  const value: JsonObject = {};
  let index = start;
  const length = text.length;
  while (index < length && text.charCodeAt(index) === OPEN) {
    index++;
    const idStart = index;
    while (index < length && isNameChar(text.charCodeAt(index))) index++;
    if (index === idStart || index - idStart > 32) return undefined;
    const params: JsonObject = {};
    value[text.slice(idStart, index)] = params;
    for (;;) {
      const code = text.charCodeAt(index);
      if (code === CLOSE) {
        index++;
        break;
      }
      if (code !== SPACE) return undefined;
      index++;
      const nameStart = index;
      while (index < length && isNameChar(text.charCodeAt(index))) index++;
      if (index === nameStart || index - nameStart > 32 || text.charCodeAt(index) !== EQUALS || text.charCodeAt(index + 1) !== QUOTE) return undefined;
      const name = text.slice(nameStart, index);
      index += 2;
      let valueText = '';
      let chunkStart = index;
      for (;;) {
        if (index >= length) return undefined;
        const c = text.charCodeAt(index);
        if (c === QUOTE) break;
        if (c === BACKSLASH) {
          const next = text.charCodeAt(index + 1);
          if (next === QUOTE || next === BACKSLASH || next === CLOSE) {
            valueText += text.slice(chunkStart, index);
            chunkStart = index + 1;
            index += 2;
            continue;
          }
        }
        index++;
      }
      params[name] = valueText + text.slice(chunkStart, index);
      index++;
    }
  }
  return { value, end: index };
}

/** PRINTUSASCII except `=`, space, `]` and `"`. */
function isNameChar(code: number): boolean {
  return code > SPACE && code < 127 && code !== EQUALS && code !== CLOSE && code !== QUOTE;
}
