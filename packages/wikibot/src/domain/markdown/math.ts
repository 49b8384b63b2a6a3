import katex from 'katex';
import { escapeHtml } from './escape-html.js';
import type { RenderEnv } from './render-env.js';
import { sanitizeMathHtml } from './sanitize-math.js';

/**
 * Math is rendered by KaTeX and sanitized with its own allow-list, then spliced into the page after
 * the page sanitizer ran (whose allow-list has no styles, SVG or MathML). The page HTML carries a
 * placeholder `\0M<index>\0` instead: markdown-it turns every NUL of the source into U+FFFD and HTML
 * entity decoding never yields NUL, so page content cannot forge one.
 */
const MARK = '\u0000';
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL delimits the placeholder on purpose (see above)
const PLACEHOLDER = /\u0000M(\d+)\u0000/g;

const CACHE_LIMIT = 500;
const cache = new Map<string, string>();

const katexOptions = {
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  output: 'htmlAndMathml',
  maxSize: 50,
  maxExpand: 1000,
} as const;

function renderTex(tex: string, displayMode: boolean): string {
  try {
    return katex.renderToString(tex, { ...katexOptions, displayMode });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `<span class="katex-error" title="${escapeHtml(reason)}">${escapeHtml(tex)}</span>`;
  }
}

/** Sanitized KaTeX HTML for `tex`, memoized: the same formula renders the same way every time. */
export function renderMath(tex: string, displayMode: boolean): string {
  const key = (displayMode ? 'D' : 'I') + tex;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const html = sanitizeMathHtml(renderTex(tex, displayMode));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, html);
  return html;
}

/** markdown-it render hook for math tokens: records the formula and returns its placeholder. */
export function mathPlaceholder(tex: string, displayMode: boolean, env: RenderEnv): string {
  const index = env.math.push(renderMath(tex.trim(), displayMode)) - 1;
  const placeholder = `${MARK}M${index}${MARK}`;
  return displayMode ? `<div class="math-display">${placeholder}</div>\n` : placeholder;
}

export function fillMathPlaceholders(html: string, math: readonly string[]): string {
  return math.length === 0
    ? html
    : html.replace(PLACEHOLDER, (_, index: string) => math[Number(index)] ?? '');
}
