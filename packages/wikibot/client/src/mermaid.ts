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
  try {
    const mermaid = await loadMermaid(src);
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: currentTheme() === 'dark' ? 'dark' : 'default',
    });
    await mermaid.run({ nodes });
  } catch (error) {
    console.warn('Mermaid diagrams were not rendered:', error);
  }
}
