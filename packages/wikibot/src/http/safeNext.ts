/**
 * Where to send the browser after signing in, signing out or switching the theme: `next` resolved
 * against the base URL the way a browser would (dot segments, `%2e`, backslashes and tabs
 * normalised), kept only when it stays on this origin and its path cannot be read as
 * protocol-relative (`//host`). Anything else becomes `/`, so no page is an open redirect.
 */
export function safeNext(next: string | undefined, baseUrl: string): string {
  if (!next?.startsWith('/') || /[\\\p{Cc}]/u.test(next)) return '/';
  const base = URL.parse(baseUrl);
  const target = base && URL.parse(next, base);
  if (!base || !target || target.origin !== base.origin) return '/';
  if (target.pathname.startsWith('//') || target.pathname.includes('\\')) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}
