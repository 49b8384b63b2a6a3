/** The theme cookie the server reads to render `data-theme` on <html> (no flash on reload). */
const COOKIE = 'wikibot_theme';

export type Theme = 'light' | 'dark';

export function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * The theme link (`/-/theme?set=…`, which works without JavaScript) switches in place instead: the
 * attribute changes at once and the cookie keeps the choice for the next page.
 */
export function initThemeToggle(): void {
  const toggle = document.querySelector<HTMLAnchorElement>('a.theme-toggle');
  if (!toggle) return;
  const label = () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    toggle.textContent = next === 'dark' ? 'Dark mode' : 'Light mode';
    toggle.dataset.next = next;
  };
  label();
  toggle.addEventListener('click', (event) => {
    event.preventDefault();
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from browsers we support
    document.cookie = `${COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    label();
    document.dispatchEvent(new CustomEvent('wikibot:theme', { detail: next }));
  });
}
