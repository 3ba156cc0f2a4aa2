/**
 * The one way processors turn user text into a RegExp: syntax and safety are checked at load
 * (see safety.ts) and a failure names the option it came from.
 */
import { OptionError } from '../engine/contract.ts';
import { checkRegex } from './safety.ts';

/** Compiles a user-supplied pattern or throws an OptionError at `path`. */
export function userRegex(path: readonly (string | number)[], source: string, flags = ''): RegExp {
  const problem = checkRegex(source, flags);
  if (problem !== undefined) throw new OptionError(path, `${problem} (pattern: /${source}/${flags})`);
  return new RegExp(source, flags);
}

/** The failure message for input past the per-match length limit. */
export function tooLong(length: number, limit: number): string {
  return `input is ${length} characters long, over the limit of ${limit} for regular expressions (max_input_length)`;
}
