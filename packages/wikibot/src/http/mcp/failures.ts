import type { Logger } from 'pino';
import { Conflict, Invalid, NotFound, TooLarge, Unavailable } from '../../wiki/errors.js';
import { toHttpError } from '../errors.js';

/** A tool's own refusal, whose message is the whole text the caller sees. */
export class ToolRefusal extends Error {
  override readonly name = 'ToolRefusal';
}

/**
 * The text of a failed tool call, worded as otterwiki-mcp words the wiki API's errors, so agents and
 * prompts written for it keep working. `path` is the page the call named.
 */
export function failureText(error: unknown, path: string | undefined, logger: Logger): string {
  if (error instanceof ToolRefusal) return error.message;
  if (error instanceof NotFound) {
    if (path !== undefined && error.message.startsWith('Page not found')) {
      return `Page not found: ${path}. Use write_note to create it, or list_notes to see available pages.`;
    }
    return error.message;
  }
  if (error instanceof Conflict) {
    return `Conflict: ${error.message} Read the page again to get the current revision, then retry.`;
  }
  if (error instanceof Invalid) return `Invalid request: ${error.message}`;
  if (error instanceof TooLarge || error instanceof Unavailable) return error.message;
  const mapped = toHttpError(error);
  if (mapped) return `Wiki API error (${mapped.status}): ${mapped.body.error}`;
  logger.error({ err: error }, 'MCP tool failed');
  return 'Wiki API error (500): Internal server error. The server may be restarting. Try again in a few seconds.';
}
