/**
 * A pipeline file's YAML with source positions. Parsing and positions are core/config/source.ts,
 * shared with the configuration and rule loaders; this adds what pipeline problems need: the
 * parsed data beside the document, and `file:line:col` strings that point at the key holding a
 * missing value (`grok:` for a grok without `patterns`), which reads better than the first
 * sibling key that the value position would fall back to.
 */
import { isFaultlineError } from '../../../core/errors.ts';
import { formatPath } from '../../../core/config/schema-errors.ts';
import { parseYamlSource, positionOf } from '../../../core/config/source.ts';

export { formatPath };

export type KeyPath = readonly (string | number)[];

export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /** `file:line:col` of the value at `path`, or of the key `keyOf` inside it; falls back to the key holding the nearest ancestor. */
  locate(path: KeyPath, keyOf?: string): string;
}

export type ParseResult = { ok: true; source: YamlSource } | { ok: false; where: string; reason: string };

/** Parses a pipeline file; a YAML syntax error comes back as its position and reason, for the load's list of problems. */
export function parseYaml(file: string, text: string): ParseResult {
  let parsed;
  try {
    parsed = parseYamlSource(file, text, 'FL_ERR_PIPELINE_INVALID');
  } catch (error) {
    if (!isFaultlineError(error)) throw error;
    const { line, column } = error.details;
    const where = typeof line === 'number' ? `${file}:${line}:${String(column)}` : file;
    return { ok: false, where, reason: error.message.startsWith(`${where}: `) ? error.message.slice(where.length + 2) : error.message };
  }
  const core = parsed;
  const data: unknown = core.document.toJS({ maxAliasCount: 100 });
  return {
    ok: true,
    source: {
      file,
      data,
      locate: (path, keyOf) => {
        const existing = existingPrefix(data, path);
        let position;
        if (existing === path.length) {
          position = positionOf(core, path, keyOf);
        } else {
          // The value is missing (a required key): point at the key that holds the deepest map found.
          let holder = existing - 1;
          while (holder >= 0 && typeof path[holder] !== 'string') holder--;
          position = holder < 0 ? positionOf(core, []) : positionOf(core, path.slice(0, holder), path[holder] as string);
        }
        return position === undefined ? file : `${file}:${position.line}:${position.column}`;
      },
    },
  };
}

/** How many leading segments of `path` exist in the data. */
function existingPrefix(data: unknown, path: KeyPath): number {
  let current = data;
  for (let index = 0; index < path.length; index++) {
    if (current === null || typeof current !== 'object') return index;
    const key = path[index] as string | number;
    if (!Object.hasOwn(current, key)) return index;
    current = (current as Record<string | number, unknown>)[key];
  }
  return path.length;
}
