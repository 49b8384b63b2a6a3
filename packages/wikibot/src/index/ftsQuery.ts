/**
 * Turn what a person types into a safe FTS5 query: words and "quoted phrases" are all required,
 * a trailing `*` keeps prefix search. FTS5 syntax characters never reach the parser unquoted, so no
 * input can make the query fail. Returns null when nothing searchable remains.
 */
export function toFtsQuery(input: string): string | null {
  const terms: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (const match of input.matchAll(pattern)) {
    if (match[1] !== undefined) {
      const words = tokens(match[1]);
      if (words.length) terms.push(quote(words.join(' ')));
      continue;
    }
    const raw = match[2] ?? '';
    const prefix = raw.endsWith('*');
    const words = tokens(raw);
    words.forEach((word, i) => {
      terms.push(prefix && i === words.length - 1 ? `${quote(word)}*` : quote(word));
    });
  }
  return terms.length ? terms.join(' ') : null;
}

/** The letters-and-digits runs of a string, as unicode61 would split them. */
function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
