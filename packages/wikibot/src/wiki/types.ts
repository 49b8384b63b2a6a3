import type { Frontmatter } from '../domain/frontmatter.js';

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
