import hljs from 'highlight.js/lib/common';
import { escapeHtml } from './escape-html.js';

/** Larger blocks are shown unhighlighted: highlighting cost grows with size and adds little there. */
const MAX_HIGHLIGHT_CHARS = 100_000;

/**
 * markdown-it `highlight` hook for fenced code. Mermaid fences become `<pre class="mermaid">` with the
 * escaped source for the client-side renderer; fences in a language highlight.js knows become
 * `<pre><code class="hljs language-…">`; anything else returns '' so markdown-it escapes it as is.
 */
export function highlightFence(code: string, language: string): string {
  const lang = language.toLowerCase();
  if (lang === 'mermaid') return `<pre class="mermaid">${escapeHtml(code)}</pre>`;
  if (lang === '' || code.length > MAX_HIGHLIGHT_CHARS || hljs.getLanguage(lang) === undefined) return '';
  const { value } = hljs.highlight(code, { language: lang, ignoreIllegals: true });
  return `<pre><code class="hljs language-${escapeHtml(lang)}">${value}</code></pre>`;
}
