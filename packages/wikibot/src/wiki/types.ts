import type { Frontmatter } from '../domain/frontmatter.js';
import type { TocEntry } from '../domain/markdown/render.js';
import type { Wiki } from './wiki.js';

/** Who makes a change: becomes the commit author. */
export interface Actor {
  name: string;
  email: string;
}

/** The front door a change came through; names the default commit message prefix. */
export type ChangeSource = 'api' | 'mcp' | 'web' | 'cli';

export interface ChangeOptions {
  actor: Actor;
  source: ChangeSource;
  /** The caller's commit message; a default naming the action is used when absent. */
  message?: string;
}

export interface CommitSummary {
  revision: string;
  author: string;
  date: string;
  message: string;
}

export interface PageView {
  name: string;
  path: string;
  content: string;
  body: string;
  frontmatter: Frontmatter | null;
  linksTo: string[];
  linkedFrom: string[];
  /** The last commit that touched the page's file (at the requested revision). */
  revision: string;
  lastCommit: CommitSummary;
  /** Blob id of the content: a cache key for rendered output. */
  blob: string;
}

export interface WriteResult {
  name: string;
  path: string;
  revision: string;
  created: boolean;
}

export interface AttachmentInfo {
  filename: string;
  size: number;
  mimeType: string;
  lastModified: string;
}

export interface ChangelogEntry extends CommitSummary {
  pagesAffected: string[];
}

/** A page body rendered: sanitized HTML, its contents, and what the page frame must load. */
export interface RenderedBody {
  html: string;
  toc: TocEntry[];
  hasMath: boolean;
  /**
   * Set when the page is over a render limit (the message names it): `html` then shows the notice
   * and the Markdown source, escaped.
   */
  limitExceeded: string | null;
}

/** Renders page bodies (one per process, its cache shared by every wiki and every door). */
export interface PageRenderer {
  /** `page.body` rendered, cached by wiki, path and `blob` (the content's id). */
  page(wiki: Wiki, page: { path: string; body: string; blob: string }): Promise<RenderedBody>;
  /** Unsaved text rendered, not cached. */
  preview(wiki: Wiki, path: string, body: string): Promise<RenderedBody>;
}
