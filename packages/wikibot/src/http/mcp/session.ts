import type { Logger } from 'pino';
import type { Principal } from '../../auth/principal.js';
import type { WikiRecord } from '../../platform/wikis.js';
import type { ChangeOptions } from '../../wiki/types.js';
import type { Wiki } from '../../wiki/wiki.js';

/** What a tool needs from its caller: read tools need `wiki:read`, every other tool `wiki:write`. */
export type ToolAccess = 'read' | 'write';

/** One MCP request: the wiki it addresses, who is calling and what they may do there. */
export class McpSession {
  readonly wiki: Wiki;
  readonly record: WikiRecord;
  readonly principal: Principal;
  readonly logger: Logger;
  private readonly allowed: ReadonlySet<ToolAccess>;

  constructor(init: {
    wiki: Wiki;
    record: WikiRecord;
    principal: Principal;
    allowed: Iterable<ToolAccess>;
    logger: Logger;
  }) {
    this.wiki = init.wiki;
    this.record = init.record;
    this.principal = init.principal;
    this.logger = init.logger;
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
