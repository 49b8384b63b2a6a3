import type { Frontmatter } from '../../domain/frontmatter.js';

/** Small formatting rules shared by the views. */

export function shortSha(revision: string): string {
  return revision.slice(0, 7);
}

/** The first line of a commit message. */
export function subject(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}

/** "2025-11-21T10:30:00+00:00" → "2025-11-21 10:30" (the time as the author's clock showed it). */
export function shortDate(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

/** Frontmatter values as the page properties box shows them (title is the page's heading). */
export function propertyRows(
  frontmatter: Frontmatter | null,
): { key: string; value: string; tags?: string[] }[] {
  if (!frontmatter) return [];
  const rows: { key: string; value: string; tags?: string[] }[] = [];
  for (const [key, value] of Object.entries(frontmatter)) {
    if (key === 'title' || value === null || value === undefined || value === '') continue;
    if (key === 'tags' && Array.isArray(value)) {
      rows.push({ key, value: value.join(', '), tags: value.map(String) });
      continue;
    }
    rows.push({ key, value: formatValue(value) });
  }
  return rows;
}

function formatValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** "A/B/C" → [["A","A"],["B","A/B"],["C","A/B/C"]]. */
export function breadcrumbs(path: string): { label: string; path: string }[] {
  const segments = path.split('/');
  return segments.map((label, index) => ({ label, path: segments.slice(0, index + 1).join('/') }));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
