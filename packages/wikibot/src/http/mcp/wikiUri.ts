/**
 * Resource URIs of a wiki: `wiki://<slug>/<path>`, each path segment percent-encoded
 * (`Guides/Disk Setup` → `wiki://main/Guides/Disk%20Setup`).
 */
export function wikiUri(slug: string, path: string): string {
  return `wiki://${slug}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The path a `wiki://<slug>/…` URI names, or null when it is not one of this wiki's. */
export function wikiUriPath(slug: string, uri: string): string | null {
  const prefix = `wiki://${slug}/`;
  if (!uri.startsWith(prefix) || uri.length === prefix.length) return null;
  try {
    return uri.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
}
