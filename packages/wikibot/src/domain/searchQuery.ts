/**
 * What a person types into a search box, read as the full-text index reads it: words and "quoted
 * phrases" are all required, a trailing `*` asks for a prefix, and the last bare word also matches
 * as a prefix ("protot" finds "prototype"). Words are split as SQLite's unicode61 tokenizer splits
 * them (runs of letters and digits), so no syntax character ever reaches the index unquoted.
 */

export interface SearchTerm {
  /** Lower-cased tokens: one for a word, several for a phrase. */
  words: string[];
  /** The last word matches as a prefix. */
  prefix: boolean;
}

export interface ParsedQuery {
  /** Distinct terms in the order typed (a term typed twice counts once). */
  terms: SearchTerm[];
  /** Words over all terms, phrases counted word by word: what a query costs grows with it. */
  wordCount: number;
  /** The shortest prefix asked for with `*`, in characters (Infinity when none was). */
  shortestExplicitPrefix: number;
}

/** A last word shorter than this is matched as a word only: short prefixes expand to much of the index. */
export const MIN_PREFIX_CHARS = 3;

export function parseSearchQuery(input: string): ParsedQuery {
  const terms = new Map<string, SearchTerm>();
  let shortestExplicitPrefix = Number.POSITIVE_INFINITY;
  let last: { key: string; term: SearchTerm } | undefined;
  const add = (term: SearchTerm) => {
    const key = termKey(term);
    if (!terms.has(key)) terms.set(key, term);
    last = { key, term };
  };
  for (const match of input.matchAll(/"([^"]*)"?|(\S+)/g)) {
    if (match[1] !== undefined) {
      const words = tokens(match[1]);
      if (words.length) add({ words, prefix: false });
      last = undefined; // a phrase ends the query as typed: no automatic prefix after it
      continue;
    }
    const raw = match[2] ?? '';
    const words = tokens(raw);
    const explicit = raw.endsWith('*');
    words.forEach((word, i) => {
      const prefix = explicit && i === words.length - 1;
      if (prefix) shortestExplicitPrefix = Math.min(shortestExplicitPrefix, [...word].length);
      add({ words: [word], prefix });
    });
  }
  if (last && !last.term.prefix && [...(last.term.words[0] ?? '')].length >= MIN_PREFIX_CHARS) {
    // Only the final position counts: "kernel … kernel" still ends in a word typed as a prefix.
    const prefixed = { words: last.term.words, prefix: true };
    terms.delete(last.key);
    terms.set(termKey(prefixed), prefixed);
  }
  const distinct = [...terms.values()];
  return {
    terms: distinct,
    wordCount: distinct.reduce((sum, term) => sum + term.words.length, 0),
    shortestExplicitPrefix,
  };
}

/** The letters-and-digits runs of a string, lower-cased, as unicode61 splits and folds them. */
export function tokens(text: string): string[] {
  return (text.match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []).map((word) => word.toLowerCase());
}

function termKey(term: SearchTerm): string {
  return `${term.words.join(' ')}${term.prefix ? '*' : ''}`;
}
