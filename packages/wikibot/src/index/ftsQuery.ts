import type { SearchTerm } from '../domain/searchQuery.js';

/**
 * The FTS5 query for parsed search terms: every term required, each quoted so that no input can
 * make the query fail, a prefix term followed by `*`. Null when there is nothing to search for.
 */
export function toFtsQuery(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((term) => `${quote(term.words.join(' '))}${term.prefix ? '*' : ''}`).join(' ');
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
