import type { Logger } from 'pino';
import type { Principal } from '../../auth/principal.js';
import type { WikiRecord } from '../../platform/wikis.js';
import type { ChangeOptions } from '../../wiki/types.js';
import type { Wiki } from '../../wiki/wiki.js';

/** What a tool needs from its caller: read tools need `wiki:read`, every other tool `wiki:write`. */
export type ToolAccess = 'read' | 'write';

/**
 * The part of the server one request needs. Servers are built per request, so a tool call gets just
 * its tool (building all sixteen costs more than serving the call); lists and handshakes get it all.
 */
export type Surface = 'everything' | 'resources' | 'prompts' | { tool: string };

/** One MCP request: the wiki it addresses, who is calling and what they may do there. */
export class McpSession {
  readonly wiki: Wiki;
  readonly record: WikiRecord;
  readonly principal: Principal;
  readonly logger: Logger;
  readonly surface: Surface;
  private readonly allowed: ReadonlySet<ToolAccess>;

  constructor(init: {
    wiki: Wiki;
    record: WikiRecord;
    principal: Principal;
    allowed: Iterable<ToolAccess>;
    logger: Logger;
    surface?: Surface;
  }) {
    this.wiki = init.wiki;
    this.record = init.record;
    this.principal = init.principal;
    this.logger = init.logger;
    this.surface = init.surface ?? 'everything';
    this.allowed = new Set(init.allowed);
  }

  may(access: ToolAccess): boolean {
    return this.allowed.has(access);
  }

  /** Options for a change made through MCP: the caller is the author, messages get `[mcp] `. */
  change(commitMessage: string): ChangeOptions {
    const message = commitMessage.trim();
    return { actor: this.principal.actor, source: 'mcp', ...(message ? { message } : {}) };
  }
}
