import {
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
  type McpRequestContext,
} from '@modelcontextprotocol/server';
import type { AppDeps } from '../context.js';
import { statelessJsonLegacy } from './legacy.js';
import { rebindingRefusal } from './rebinding.js';
import { buildMcpServer } from './server.js';
import { McpSession } from './session.js';

/** The parts of the MCP endpoint made of the SDK, loaded with it when the endpoint is first used. */
export interface McpEndpoint {
  /** A refusal for requests that fail the DNS rebinding checks. */
  rebindingRefusal(request: Request): Response | undefined;
  /** Answer an authorized request (Streamable HTTP, or stateless JSON for 2025-era clients). */
  handle(request: Request, options: { authInfo: AuthInfo; parsedBody?: unknown }): Promise<Response>;
}

export function mcpEndpoint(deps: AppDeps): McpEndpoint {
  const factory = ({ authInfo }: McpRequestContext) => buildMcpServer(sessionOf(authInfo));
  const modern = createMcpHandler(factory, {
    legacy: 'reject',
    responseMode: 'auto',
    onerror: (error) => deps.logger.debug({ err: error }, 'MCP request refused'),
  });
  const legacy = statelessJsonLegacy(factory);
  return {
    rebindingRefusal: (request) => rebindingRefusal(request, deps.baseUrl(), deps.placement.isWikiHost),
    handle: async (request, options) =>
      (await isLegacyRequest(request, options.parsedBody))
        ? legacy(request, options)
        : modern.fetch(request, options),
  };
}

function sessionOf(authInfo: AuthInfo | undefined): McpSession {
  const session = authInfo?.extra?.session;
  if (!(session instanceof McpSession)) throw new Error('MCP request without a session');
  return session;
}
