import {
  type LegacyHttpHandler,
  type McpServerFactory,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';

/**
 * Serve 2025-era clients (spec 2025-11-25 and before) statelessly, one fresh server per request, and
 * answer with plain JSON: no SSE stream is needed for this server's request/response tools, and JSON
 * passes API Gateway and Lambda unchanged. (The SDK's own stateless fallback always streams.)
 */
export function statelessJsonLegacy(factory: McpServerFactory): LegacyHttpHandler {
  return async (request, options) => {
    if (request.method !== 'POST') {
      return Response.json(
        { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null },
        { status: 405, headers: { Allow: 'POST' } },
      );
    }
    const server = await factory({
      era: 'legacy',
      ...(options?.authInfo ? { authInfo: options.authInfo } : {}),
      requestInfo: request,
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, options);
    } finally {
      await server.close();
    }
  };
}
