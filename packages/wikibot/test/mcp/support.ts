import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { type RawResponse, rawHttp } from '../support/net.js';
import type { TestServer } from '../support/server.js';

/** The two protocol generations one endpoint serves: 2026-07-28 and the 2025 era (2025-11-25). */
export const ERAS = ['modern', 'legacy'] as const;
export type Era = (typeof ERAS)[number];

export function mcpUrl(server: TestServer, slug = 'main'): string {
  return `${server.url}/w/${slug}/mcp`;
}

/**
 * The official SDK client over real HTTP, pinned to one era: 2026-07-28 for `modern`; the default
 * `initialize` handshake (2025-11-25) for `legacy`.
 */
export async function connect(server: TestServer, era: Era, token?: string, slug = 'main'): Promise<Client> {
  const client = new Client(
    { name: 'wikibot-test', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl(server, slug)), {
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
  await client.connect(transport);
  return client;
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  if (first?.type !== 'text') throw new Error(`expected a text block, got ${JSON.stringify(first)}`);
  return first.text;
}

/** Call a tool that must succeed; its text and structured content. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return { text: textOf(result), structured: result.structuredContent as Record<string, unknown>, result };
}

/** Call a tool that must fail; the isError text. */
export async function failure(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name} should fail`).toBe(true);
  return textOf(result);
}

/** The `_meta` envelope every 2026-07-28 request carries. */
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'wikibot-test', version: '1.0.0' },
};

/**
 * One JSON-RPC request over plain HTTP, shaped as the era's clients send it, to see status codes
 * and headers the SDK client hides. `headers` may override or add any header (node:http sends `Host`
 * as given).
 */
export async function rawRpc(
  server: TestServer,
  era: Era,
  method: string,
  params: Record<string, unknown> = {},
  options: { token?: string; headers?: Record<string, string>; slug?: string } = {},
): Promise<RawResponse> {
  const name =
    typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': era === 'modern' ? '2026-07-28' : '2025-11-25',
    ...(era === 'modern' ? { 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) } : {}),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method,
    params: era === 'modern' ? { ...params, _meta: MODERN_META } : params,
  });
  return rawHttp(mcpUrl(server, options.slug), { method: 'POST', headers, body });
}
