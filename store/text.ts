/**
 * The text analysis both stores share: tokens are maximal runs of Unicode letters, digits and
 * private-use characters, lowercased. SQLite's FTS5 `unicode61` tokenizer (diacritics kept) and
 * the Elasticsearch analyzer in store/elasticsearch/ both implement exactly this.
 */
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

export function tokenize(text: string): string[] {
  return (text.match(TOKEN) ?? []).map((token) => token.toLowerCase());
}

/** The same token pattern as a Java regular expression, for Elasticsearch's pattern tokenizer (the separators). */
export const ELASTICSEARCH_SEPARATOR_PATTERN = '[^\\p{L}\\p{N}\\p{Co}]+';
