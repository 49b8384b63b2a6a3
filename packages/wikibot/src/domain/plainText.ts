import type { WikiLinkStyle } from './wikilinks.js';

/**
 * The reading text of a piece of Markdown, for search snippets: markup removed, link texts kept,
 * whitespace collapsed. Made for short excerpts (a few hundred characters) that may start or end
 * inside a construct, so stray halves of markup are removed too. Not a renderer: it never has to
 * agree with one, only to leave no `**`, `[[`, `|` or `#` where a person reads.
 */
export function markdownToPlainText(markdown: string, linkStyle: WikiLinkStyle): string {
  const wikiLink = (_: string, left: string, right: string | undefined) =>
    right === undefined ? left : linkStyle === 'title-page' ? left : right;
  // Each pass runs only when its markup can be there: an excerpt is cut for every search result.
  let text = markdown;
  const has = (mark: string) => text.includes(mark);
  // Lines that are all markup: code fences, table rules, horizontal rules, HTML comments.
  if (has('```') || has('~~~')) text = text.replace(/^[ \t]*(?:`{3,}|~{3,}).*$/gm, ' ');
  if (has('|')) text = text.replace(/^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$/gm, ' ');
  text = text.replace(/^[ \t]*(?:[-*_][ \t]*){3,}$/gm, ' ');
  if (has('<!--')) text = text.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  // Links keep their text: [[Title|Page]], ![alt](src), [text](url), [text][ref], footnotes.
  if (has('[')) {
    text = text
      .replace(/\[\[([^\]|\n]*)(?:\|([^\]\n]*))?\]\]/g, wikiLink)
      .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)?/g, '$1')
      .replace(/\[\^[^\]\n]*\]:?/g, ' ')
      .replace(/\[([^\]\n]*)\]\[[^\]\n]*\]/g, '$1');
  }
  // HTML tags and autolinks' brackets.
  if (has('<')) text = text.replace(/<\/?[A-Za-z][^<>\n]*>?/g, ' ');
  // Line-start markers: headings, quotes, list bullets, task boxes.
  text = text.replace(
    /^[ \t]*(?:>[ \t]?)*(?:#{1,6}(?=[ \t]|$)|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))?[ \t]*(?:\[[ xX]\][ \t])?/gm,
    '',
  );
  // What is left of markup anywhere: emphasis, code, marks, table pipes, brackets, escapes.
  if (has('\\')) text = text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  text = text.replace(/\]\([^)\s]*\)?|[*`~]+|={2,}|[[\]]|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, '');
  if (has('|')) text = text.replace(/\|/g, ' ');
  return text.replace(/\s+/g, ' ').trim();
}
