import { Conflict, Invalid } from './errors.js';
import type { ChangeOptions } from './types.js';

/**
 * The commit message for a change: the caller's own (prefixed `[mcp] ` for that door, as-is from the
 * REST API like otterwiki-api, the CLI and the web UI, whose people write for people), else
 * `<Action>: <subject>`, prefixed `[<door>] ` except from the web UI.
 */
export function commitMessage(options: ChangeOptions, action: string, subject: string): string {
  const own = options.message?.trim();
  if (own) return options.source === 'mcp' ? `[mcp] ${own}` : own;
  const message = `${action}: ${subject}`;
  return options.source === 'web' ? message : `[${options.source}] ${message}`;
}

/** C0 and C1 control characters other than tab and line breaks, which a multi-line message may hold. */
const MESSAGE_CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** A caller's commit message must be text git stores as given: no NUL or other control characters. */
export function checkCommitMessage(message: string | undefined): void {
  if (message === undefined) return;
  if (MESSAGE_CONTROL_CHARACTER.test(message)) {
    throw new Invalid('commit message: NUL and control characters are not allowed (tab and line breaks are)');
  }
  if (LONE_SURROGATE.test(message))
    throw new Invalid('commit message: it contains invalid Unicode (a lone surrogate)');
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
