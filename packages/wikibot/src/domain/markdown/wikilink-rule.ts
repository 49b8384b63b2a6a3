import type MarkdownIt from 'markdown-it';
import type { StateInline } from 'markdown-it';
import type { RenderEnv } from './render-env.js';
import { slugify } from './slugify.js';
import type { RenderOptions } from './types.js';

const OPEN = '[[';
const CLOSE = ']]';
const FORBIDDEN_INSIDE = /[[\]\n]/;

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
function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (!state.src.startsWith(OPEN, start) || (state as InlineState).linkLevel > 0) return false;
  const end = state.src.indexOf(CLOSE, start + OPEN.length);
  if (end < 0 || end + CLOSE.length > state.posMax) return false;
  const inner = state.src.slice(start + OPEN.length, end);
  if (FORBIDDEN_INSIDE.test(inner)) return false;
  const env: RenderEnv = state.env;
  const link = parseWikiLink(inner, env.options.wikiLinkStyle);
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
  state.pos = end + CLOSE.length;
  return true;
}

export function wikiLinkPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('link', 'wikilink', wikiLinkRule);
}
