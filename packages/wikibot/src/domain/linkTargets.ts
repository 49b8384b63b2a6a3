/**
 * How a link target is re-pointed when a page is renamed. The page's folder (attachments and
 * subpages) moves with it, so a target at or under the old path moves too:
 * "Old/Page" → "New/Page", "Old/Page/chart.png" → "New/Page/chart.png".
 */
import { pageKey } from './pagePath.js';

/** Path segments without the empty ones that leading, trailing or doubled slashes leave. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/**
 * When `segments` begin with the segments of `page` (compared as case-insensitive page keys), how
 * many segments that is; otherwise null.
 */
export function pagePrefixLength(segments: readonly string[], page: string): number | null {
  const pageSegments = pathSegments(page);
  if (pageSegments.length === 0 || segments.length < pageSegments.length) return null;
  const matches = pageSegments.every((segment, index) => pageKey(segments[index]!) === pageKey(segment));
  return matches ? pageSegments.length : null;
}
