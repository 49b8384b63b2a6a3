import { Conflict, Invalid } from './errors.js';
import type { ChangeOptions } from './types.js';

/**
 * The commit message for a change: the caller's own (prefixed `[mcp] ` or `[web] ` for those doors,
 * as-is from the REST API like otterwiki-api), else `[<door>] <Action>: <subject>`.
 */
export function commitMessage(options: ChangeOptions, action: string, subject: string): string {
  const own = options.message?.trim();
  if (own) return options.source === 'api' || options.source === 'cli' ? own : `[${options.source}] ${own}`;
  return `[${options.source}] ${action}: ${subject}`;
}

/**
 * Optimistic locking (otterwiki-api's rules): an update names the revision it read; at least 7 hex
 * characters; a mismatch is a conflict carrying the current revision.
 */
export function checkRevision(given: string | undefined, current: string): void {
  if (!given) {
    throw new Conflict(
      'Revision required when updating an existing page. Read the page first to get the current revision.',
      current,
    );
  }
  checkRevisionFormat(given);
  if (!current.startsWith(given.toLowerCase())) {
    throw new Conflict('Revision mismatch: page has been modified since last read.', current);
  }
}

export function checkRevisionFormat(revision: string): void {
  if (revision.length < 7) throw new Invalid('revision must be at least 7 characters');
  if (!/^[0-9a-fA-F]{7,40}$/.test(revision)) throw new Invalid('revision must be a hexadecimal commit id');
}
