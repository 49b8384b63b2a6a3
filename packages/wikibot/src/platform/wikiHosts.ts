import type { Config } from '../config.js';

/**
 * Host mode's URL arithmetic (SPEC §8), shared by the HTTP routing and the OAuth resource URLs: each
 * wiki's host is `<slug>.<domain>` on the base URL's scheme and port.
 */

/** The domain wiki hosts are under in host mode (`http.wiki_domain`, else the base URL's host name); null in path mode. */
export function wikiDomain(config: Config, baseUrl: string): string | null {
  if (!config.http.wiki_host_mode) return null;
  return (config.http.wiki_domain ?? new URL(baseUrl).hostname).toLowerCase();
}

/** The origin of a wiki's host. */
export function wikiHostOrigin(baseUrl: string, domain: string, slug: string): string {
  const base = new URL(baseUrl);
  return `${base.protocol}//${slug}.${domain}${base.port ? `:${base.port}` : ''}`;
}

/** The label a host name has directly under `domain` (whether it names a wiki is for the caller to say). */
export function wikiHostLabel(hostname: string, domain: string): string | null {
  const name = hostname.toLowerCase();
  const suffix = `.${domain}`;
  if (!name.endsWith(suffix)) return null;
  const label = name.slice(0, -suffix.length);
  return label.includes('.') ? null : label;
}
