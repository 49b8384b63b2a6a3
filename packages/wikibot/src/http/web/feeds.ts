import type { ChangelogEntry } from '../../wiki/types.js';
import { subject } from './present.js';

/** What a changelog feed says about its wiki; URLs are absolute. */
export interface FeedInfo {
  title: string;
  /** The wiki's home page. */
  link: string;
  /** This feed's own URL. */
  self: string;
  commitLink(revision: string): string;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escape text for XML; characters XML 1.0 cannot carry at all are dropped. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);
}

function describe(entry: ChangelogEntry): string {
  const pages = entry.pagesAffected.length ? `Pages: ${entry.pagesAffected.join(', ')}\n\n` : '';
  return `${pages}${entry.message}`;
}

export function rssFeed(info: FeedInfo, entries: ChangelogEntry[]): string {
  const items = entries
    .map(
      (e) => `  <item>
    <title>${xml(subject(e.message) || e.revision.slice(0, 7))}</title>
    <link>${xml(info.commitLink(e.revision))}</link>
    <guid isPermaLink="false">${e.revision}</guid>
    <pubDate>${new Date(e.date).toUTCString()}</pubDate>
    <dc:creator>${xml(e.author)}</dc:creator>
    <description>${xml(describe(e))}</description>
  </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>${xml(info.title)}</title>
  <link>${xml(info.link)}</link>
  <description>${xml(`Recent changes to ${info.title}`)}</description>
  <atom:link href="${xml(info.self)}" rel="self" type="application/rss+xml"/>
${items}
</channel>
</rss>
`;
}

export function atomFeed(info: FeedInfo, entries: ChangelogEntry[]): string {
  const updated = entries[0] ? new Date(entries[0].date).toISOString() : new Date(0).toISOString();
  const items = entries
    .map(
      (e) => `  <entry>
    <id>${xml(info.commitLink(e.revision))}</id>
    <title>${xml(subject(e.message) || e.revision.slice(0, 7))}</title>
    <link href="${xml(info.commitLink(e.revision))}"/>
    <updated>${new Date(e.date).toISOString()}</updated>
    <author><name>${xml(e.author || 'unknown')}</name></author>
    <summary>${xml(describe(e))}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(info.self)}</id>
  <title>${xml(info.title)}</title>
  <updated>${updated}</updated>
  <link href="${xml(info.link)}"/>
  <link rel="self" href="${xml(info.self)}"/>
${items}
</feed>
`;
}
