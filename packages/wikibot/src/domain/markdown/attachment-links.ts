import type MarkdownIt from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';
import type { RenderEnv } from './render-env.js';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const FILE_EXTENSION = /\.[a-z0-9]{1,10}$/i;
const MARKDOWN_EXTENSION = /\.md$/i;
const PLACEHOLDER_ORIGIN = 'http://base.invalid';

function isRelative(url: string): boolean {
  return url !== '' && !HAS_SCHEME.test(url) && !/^[/#?]/.test(url);
}

/** The last path segment has a file extension (`chart.png`, `docs/report.pdf?x=1`) other than `.md`. */
function looksLikeAttachment(url: string): boolean {
  const path = url.replace(/[?#].*$/, '');
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return FILE_EXTENSION.test(lastSegment) && !MARKDOWN_EXTENSION.test(lastSegment);
}

/** Resolves `url` against `base` (absolute URL or absolute path) the way a browser would. */
export function resolveAgainstBase(url: string, base: string): string {
  const dirBase = base.endsWith('/') ? base : `${base}/`;
  try {
    if (HAS_SCHEME.test(dirBase)) return new URL(url, dirBase).href;
    const resolved = new URL(url, PLACEHOLDER_ORIGIN + (dirBase.startsWith('/') ? '' : '/') + dirBase);
    return resolved.pathname + resolved.search + resolved.hash;
  } catch {
    return url;
  }
}

function rewrite(token: Token, attr: 'src' | 'href', base: string): void {
  const url = token.attrGet(attr);
  if (url !== null && isRelative(url)) token.attrSet(attr, resolveAgainstBase(url, base));
}

/** Points relative image sources and attachment links at the page's attachment folder. */
function attachmentLinksRule(state: StateCore): void {
  const env: RenderEnv = state.env;
  const base = env.options.attachmentBase;
  if (base === undefined || base === '') return;
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'image') {
        rewrite(token, 'src', base);
      } else if (token.type === 'link_open' && token.markup === '' && token.info === '') {
        const href = token.attrGet('href');
        if (href !== null && looksLikeAttachment(href)) rewrite(token, 'href', base);
      }
    }
  }
}

export function attachmentLinksPlugin(md: MarkdownIt): void {
  md.core.ruler.push('attachment_links', attachmentLinksRule);
}
