import type { AuthInfo } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { lazy } from '../../lazy.js';
import { decide, resourceMetadataUrl, wikiAccess } from '../auth.js';
import type { AppDeps, AppEnv } from '../context.js';
import { refusal } from './access.js';
import { McpSession, type Surface, type ToolAccess } from './session.js';
import { toolAccess } from './tools/index.js';

/**
 * The MCP endpoint of one wiki (mounted at /w/<slug>/mcp): Streamable HTTP for spec 2026-07-28
 * clients and, statelessly, for 2025-era clients, from one per-request server factory. Requests are
 * checked for DNS rebinding, then authorized: tools the caller may not use are not listed, and
 * calling one answers 401/403 with a challenge naming the scope needed. The SDK is loaded when the
 * endpoint is first used.
 */
export function mcpRouter(deps: AppDeps): Hono<AppEnv> {
  const endpoint = lazy(async () => (await import('./endpoint.js')).mcpEndpoint(deps));
  const router = new Hono<AppEnv>();
  router.all('/', async (c) => {
    const mcp = await endpoint();
    const rebinding = mcp.rebindingRefusal(c.req.raw);
    if (rebinding) return rebinding;

    const wiki = c.get('wiki');
    const { record, reasons: denied } = await wikiAccess(deps, c, wiki.slug);
    const principal = c.get('principal');
    const body = c.req.method === 'POST' ? await c.req.text() : undefined;
    const message = parseJson(body);
    const call = toolCalled(message);
    // Any use of the endpoint needs some access; calling a tool needs the access that tool needs.
    const required: ToolAccess | undefined =
      call?.access ?? (denied.read && denied.write ? 'read' : undefined);
    const reason = required ? denied[required] : null;
    decide(c, {
      door: 'mcp',
      route: `${c.req.method} /w/:slug/mcp`,
      ...rpcMethodOf(message),
      ...(call ? { tool: call.name } : {}),
      ...(required ? { required } : {}),
      reason,
    });
    if (required && reason) return refusal(principal, required, reason, resourceMetadataUrl(deps, c));

    const session = new McpSession({
      wiki,
      record,
      principal,
      allowed: (['read', 'write'] as const).filter((kind) => denied[kind] === null),
      logger: deps.logger,
      surface: surfaceFor(message, call),
    });
    const authInfo: AuthInfo = {
      token: '',
      clientId: principal.client ?? principal.subject,
      scopes: [...principal.scopes],
      extra: { session },
    };
    // The SDK reads the body itself only when it is not JSON (to answer that); it was read above.
    const request =
      body === undefined || message !== undefined
        ? c.req.raw
        : new Request(c.req.raw.url, {
            method: 'POST',
            headers: c.req.raw.headers,
            body,
            signal: c.req.raw.signal,
          });
    return mcp.handle(request, { authInfo, ...(message === undefined ? {} : { parsedBody: message }) });
  });
  return router;
}

/** The JSON body, or undefined when there is none or it is not JSON (the SDK answers that). */
function parseJson(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The tool a `tools/call` message (or a batch holding some) calls; a write tool outranks a read tool. */
function toolCalled(message: unknown): { name: string; access: ToolAccess } | undefined {
  let called: { name: string; access: ToolAccess } | undefined;
  for (const item of Array.isArray(message) ? message : [message]) {
    if (!isRecord(item) || item.method !== 'tools/call' || !isRecord(item.params)) continue;
    const name = item.params.name;
    const access = typeof name === 'string' ? toolAccess(name) : undefined;
    if (typeof name === 'string' && access && called?.access !== 'write') called = { name, access };
  }
  return called;
}

/** What the server must offer to answer this message (see Surface). */
function surfaceFor(message: unknown, call: { name: string } | undefined): Surface {
  if (!isRecord(message) || typeof message.method !== 'string') return 'everything';
  if (message.method === 'tools/call') return call ? { tool: call.name } : 'everything';
  if (message.method.startsWith('resources/')) return 'resources';
  if (message.method.startsWith('prompts/')) return 'prompts';
  return 'everything';
}

function rpcMethodOf(message: unknown): { rpcMethod?: string } {
  const first = Array.isArray(message) ? message[0] : message;
  return isRecord(first) && typeof first.method === 'string' ? { rpcMethod: first.method } : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
