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
  return (
    markdown
      // Lines that are all markup: code fences, table rules, horizontal rules, HTML comments.
      .replace(/^[ \t]*(?:`{3,}|~{3,}).*$/gm, ' ')
      .replace(/^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$/gm, ' ')
      .replace(/^[ \t]*(?:[-*_][ \t]*){3,}$/gm, ' ')
      .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
      // Links keep their text: [[Title|Page]], ![alt](src), [text](url), [text][ref], footnotes.
      .replace(/\[\[([^\]|\n]*)(?:\|([^\]\n]*))?\]\]/g, wikiLink)
      .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)?/g, '$1')
      .replace(/\[\^[^\]\n]*\]:?/g, ' ')
      .replace(/\[([^\]\n]*)\]\[[^\]\n]*\]/g, '$1')
      // HTML tags and autolinks' brackets.
      .replace(/<\/?[A-Za-z][^<>\n]*>?/g, ' ')
      // Line-start markers: headings, quotes, list bullets, task boxes.
      .replace(
        /^[ \t]*(?:>[ \t]?)*(?:#{1,6}(?=[ \t]|$)|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))?[ \t]*(?:\[[ xX]\][ \t])?/gm,
        '',
      )
      // What is left of markup anywhere: emphasis, code, marks, table pipes, brackets, escapes.
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
      .replace(/\]\([^)\s]*\)?|[*`~]+|={2,}|[[\]]|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, '')
      .replace(/\|/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
