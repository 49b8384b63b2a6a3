import type MarkdownIt from 'markdown-it';
import type { StateInline } from 'markdown-it';
import type { RenderEnv } from './render-env.js';
import { slugify } from './slugify.js';
import type { RenderOptions } from './types.js';

const OPEN = '[[';
/** Brackets and line breaks end the inside of `[[…]]`: only `]]` may end it well. */
const INSIDE_ENDS = /[[\]\n]/g;

/** markdown-it counts the links being parsed around `pos` here; its typings omit it. */
type InlineState = StateInline & { readonly linkLevel: number };

interface WikiLink {
  title: string;
  page: string;
  fragment: string;
}

/** Splits the inside of `[[…]]` into title, page and `#fragment`; null when it names nothing. */
function parseWikiLink(inner: string, style: RenderOptions['wikiLinkStyle']): WikiLink | null {
  const pipe = inner.indexOf('|');
  let title = inner;
  let target = inner;
  if (pipe >= 0) {
    // `\|` also separates, so that `[[Title\|Page]]` works inside a table row.
    const left = inner.slice(0, inner[pipe - 1] === '\\' ? pipe - 1 : pipe);
    const right = inner.slice(pipe + 1);
    [title, target] = style === 'page-title' ? [right, left] : [left, right];
  }
  target = target.trim();
  const hash = target.indexOf('#');
  const page = (hash < 0 ? target : target.slice(0, hash)).trim();
  const fragment = hash < 0 ? '' : target.slice(hash + 1).trim();
  if (page === '' && fragment === '') return null;
  return { title: title.trim() || target, page, fragment };
}

/** `[[Page]]`, `[[Title|Page]]` (or `[[Page|Title]]`), `[[Page#section]]`, `[[#section]]`. */
/**
 * The `[[…]]` starting at `start` (which holds `[[`), ending by `max`: the end of the closing `]]`
 * and the text inside, or null. Only looks ahead to the next bracket or line break, so trying every
 * `[[` of a text stays linear.
 */
function bracketsAt(src: string, start: number, max: number): { end: number; inner: string } | null {
  INSIDE_ENDS.lastIndex = start + OPEN.length;
  const stop = INSIDE_ENDS.exec(src)?.index ?? -1;
  if (stop < 0 || src[stop] !== ']' || src[stop + 1] !== ']' || stop + 2 > max) return null;
  return { end: stop + 2, inner: src.slice(start + OPEN.length, stop) };
}

/**
 * Every page name a render of `markdown` may pass to `resolveWikiLink`, possibly a few more (from
 * code spans and escapes), so that they can be looked up before rendering.
 */
export function wikiLinkTargets(markdown: string, style: RenderOptions['wikiLinkStyle']): Set<string> {
  // As markdown-it normalizes its input.
  const src = markdown.replace(/\r\n?/g, '\n').replaceAll('\0', '\uFFFD');
  const targets = new Set<string>();
  for (let start = src.indexOf(OPEN); start >= 0; start = src.indexOf(OPEN, start + 1)) {
    const brackets = bracketsAt(src, start, src.length);
    const link = brackets && parseWikiLink(brackets.inner, style);
    if (link && link.page !== '') targets.add(link.page);
  }
  return targets;
}

function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (!state.src.startsWith(OPEN, start) || (state as InlineState).linkLevel > 0) return false;
  const brackets = bracketsAt(state.src, start, state.posMax);
  if (brackets === null) return false;
  const env: RenderEnv = state.env;
  const link = parseWikiLink(brackets.inner, env.options.wikiLinkStyle);
  if (link === null) return false;

  const resolved = link.page === '' ? { href: '', exists: true } : env.options.resolveWikiLink(link.page);
  const href = resolved.href + (link.fragment === '' ? '' : `#${slugify(link.fragment)}`);
  if (!state.md.validateLink(href)) return false;

  if (!silent) {
    const open = state.push('link_open', 'a', 1);
    open.attrs = [
      ['href', href],
      ['class', resolved.exists ? 'wikilink' : 'wikilink missing'],
    ];
    open.markup = 'wikilink';
    state.push('text', '', 0).content = link.title;
    state.push('link_close', 'a', -1).markup = 'wikilink';
  }
  state.pos = brackets.end;
  return true;
}

export function wikiLinkPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('link', 'wikilink', wikiLinkRule);
}
