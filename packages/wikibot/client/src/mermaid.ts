import { currentTheme } from './theme.js';

/** The part of Mermaid's browser build (a global, loaded on demand) that is used here. */
interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  run(options: { nodes: HTMLElement[] }): Promise<void>;
}

declare global {
  interface Window {
    mermaid?: MermaidApi;
  }
}

let loading: Promise<MermaidApi> | null = null;

/** Mermaid is large: it is fetched only when a page has a diagram (`<html data-mermaid-src>` names it). */
function loadMermaid(src: string): Promise<MermaidApi> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () =>
      window.mermaid ? resolve(window.mermaid) : reject(new Error('mermaid did not load'));
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
  return loading;
}

/** Turn the `<pre class="mermaid">` sources the server rendered under `root` into diagrams. */
export async function renderMermaid(root: ParentNode): Promise<void> {
  const nodes = [...root.querySelectorAll<HTMLElement>('pre.mermaid:not([data-processed])')];
  const src = document.documentElement.dataset.mermaidSrc;
  if (nodes.length === 0 || !src) return;
  // Mermaid replaces the source with the drawing: keep it for drawing again in another theme.
  for (const node of nodes) node.dataset.source ??= node.textContent ?? '';
  try {
    const mermaid = await loadMermaid(src);
    const theme = currentTheme();
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: theme === 'dark' ? 'dark' : 'default',
    });
    await mermaid.run({ nodes });
    for (const node of nodes) node.dataset.theme = theme;
  } catch (error) {
    console.warn('Mermaid diagrams were not rendered:', error);
  }
}

/** Draw the page's diagrams once the page is shown (Mermaid is big), and again when the theme changes. */
export function initMermaid(): void {
  const render = () => setTimeout(() => void renderMermaid(document), 0);
  if (document.readyState === 'complete') render();
  else addEventListener('load', render, { once: true });
  const redraw = () => {
    const drawn = document.querySelectorAll<HTMLElement>('pre.mermaid[data-processed][data-source]');
    for (const node of drawn) {
      node.removeAttribute('data-processed');
      node.textContent = node.dataset.source ?? '';
    }
    if (drawn.length > 0) void renderMermaid(document);
  };
  document.addEventListener('wikibot:theme', redraw);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (!document.documentElement.dataset.theme) redraw();
  });
}
