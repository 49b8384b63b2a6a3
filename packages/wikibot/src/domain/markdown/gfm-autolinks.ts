import type MarkdownIt from 'markdown-it';

const WWW_PREFIX = /^www\./i;

/**
 * GFM autolinks bare `www.` hosts but not every word with a dot: linkify-it's fuzzy matching would
 * turn `notes.md` or `setup.py` (Moldova, Paraguay) into links. Keeps fuzzy matches only when they
 * start with `www.`; scheme links and e-mail addresses are untouched.
 */
export function gfmAutolinksPlugin(md: MarkdownIt): void {
  const linkify = md.linkify;
  const matchAll = linkify.match.bind(linkify);
  linkify.match = (text) => matchAll(text)?.filter((m) => m.schema !== '' || WWW_PREFIX.test(m.raw)) ?? null;
}
