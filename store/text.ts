/**
 * The text analysis both stores share, defined as Elasticsearch's built-in `standard` analyzer
 * (Lucene's StandardTokenizer, i.e. Unicode word boundaries UAX #29, then lowercasing): the one
 * analyzer every Elasticsearch has (the test distribution ships no other tokenizer), so Kibana
 * users get the words they expect. The Elasticsearch backend maps text fields with `standard`; the
 * embedded store indexes the tokens this function returns, joined by spaces, in an FTS5 table whose
 * tokenizer splits on whitespace only. store/text.test.ts checks this function against
 * Elasticsearch's `_analyze` on real logs.
 *
 * What that means for log text: `db-1:5432` gives `db`, `1`, `5432`; `10.0.1.2`, `3.14`, `1,000`,
 * `don't`, `foo.bar`, `error:timeout` and `_pipeline_error` each stay one token (UAX #29 joins
 * letters across `.` `'` `:` and digits across `.` `,` `;`); Han ideographs and hiragana are one
 * token per character; tokens longer than 255 characters are split.
 */

/** Letters for word-break purposes: alphabetic, minus the scripts that tokenize differently. */
const LETTER = String.raw`[\p{Alphabetic}--\p{Script=Han}--\p{Script=Hiragana}--\p{Script=Katakana}--\p{Script=Thai}--\p{Script=Lao}--\p{Script=Myanmar}--\p{Script=Khmer}--\p{Extended_Pictographic}]`;
const DIGIT = String.raw`\p{Nd}`;
/** ExtendNumLet: `_` and other connector punctuation. */
const CONNECTOR = String.raw`[_\p{Pc}]`;
/** Marks and format characters stay with the character before them (WB4). */
const EXTEND = String.raw`[\p{M}\p{Cf}]*`;
/** MidLetter, MidNumLet and Single_Quote: join letter to letter. */
const MID_LETTER = String.raw`[:\u00B7\u0387\u05F4\u2027\uFE13\uFE55\uFF1A.\u2018\u2019\u2024\uFE52\uFF07\uFF0E']`;
/** MidNum, MidNumLet and Single_Quote: join digit to digit. */
const MID_NUMBER = String.raw`[,;\u037E\u0589\u060C\u060D\u066C\u07F8\u2044\uFE10\uFE14\uFE50\uFE54\uFF0C\uFF1B.\u2018\u2019\u2024\uFE52\uFF07\uFF0E']`;

const RUN = String.raw`(?:(?:${LETTER}|${DIGIT}|${CONNECTOR})${EXTEND})+`;
const WORD = String.raw`${RUN}(?:(?:(?<=${LETTER}${EXTEND})${MID_LETTER}(?=${LETTER})|(?<=${DIGIT}${EXTEND})${MID_NUMBER}(?=${DIGIT}))${RUN})*`;
const EMOJI = String.raw`\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]*(?:\u200D\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]*)*`;
const SINGLE = String.raw`[\p{Script=Han}\p{Script=Hiragana}]`;
const KATAKANA = String.raw`[\p{Script=Katakana}\u30FC]+`;
const SOUTHEAST_ASIAN = String.raw`[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}]+`;

const TOKEN = new RegExp(`${EMOJI}|${SINGLE}|${KATAKANA}|${SOUTHEAST_ASIAN}|${WORD}`, 'gv');
/** The same rules restricted to ASCII, several times faster on the text logs mostly are. */
const ASCII_TOKEN = /(?:[A-Za-z0-9_])+(?:(?:(?<=[A-Za-z])[:.'](?=[A-Za-z])|(?<=[0-9])[,;.'](?=[0-9]))[A-Za-z0-9_]+)*/g;
const ONLY_CONNECTORS = new RegExp(`^${CONNECTOR}+$`, 'v');
const ASCII = /^\p{ASCII}*$/u;

/** The standard analyzer's limit; longer tokens are split into pieces of this length. */
export const MAX_TOKEN_LENGTH = 255;

export function tokenize(text: string): string[] {
  if (ASCII.test(text)) return tokenizeAscii(text);
  const tokens: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    if (ONLY_CONNECTORS.test(raw)) continue;
    push(tokens, lowercase(raw));
  }
  return tokens;
}

/**
 * ASCII text, lowercased first (which moves no boundary: letters stay letters) and matched in one
 * call that answers the strings alone; the writer tokenizes every event's text, so this is hot.
 */
function tokenizeAscii(text: string): string[] {
  const found = text.toLowerCase().match(ASCII_TOKEN);
  if (found === null) return [];
  for (const token of found) {
    // `_` is ASCII's only connector: a token of nothing else is dropped, a long one split.
    if (token.length > MAX_TOKEN_LENGTH || onlyUnderscores(token)) return found.reduce<string[]>((tokens, raw) => (onlyUnderscores(raw) ? tokens : push(tokens, raw)), []);
  }
  return found;
}

function onlyUnderscores(token: string): boolean {
  for (let i = 0; i < token.length; i++) if (token.charCodeAt(i) !== 0x5f) return false;
  return true;
}

/** Appends a token, split into pieces of MAX_TOKEN_LENGTH when longer. */
function push(tokens: string[], token: string): string[] {
  if (token.length <= MAX_TOKEN_LENGTH) tokens.push(token);
  else for (let i = 0; i < token.length; i += MAX_TOKEN_LENGTH) tokens.push(token.slice(i, i + MAX_TOKEN_LENGTH));
  return tokens;
}

/** Lowercases one code point at a time, as Lucene's LowerCaseFilter does (no context rules such as final sigma). */
function lowercase(token: string): string {
  if (ASCII.test(token)) return token.toLowerCase();
  let out = '';
  for (const char of token) {
    const lower = char.toLowerCase();
    out += [...lower].length === 1 ? lower : char === '\u0130' ? 'i' : char;
  }
  return out;
}
