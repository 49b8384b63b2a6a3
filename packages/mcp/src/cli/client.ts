import { type Client, createClient, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { McpAgentService } from '../gen/mcp/v1/mcp_pb.js';

export type AgentClient = Client<typeof McpAgentService>;

export interface AgentConnection {
  client: AgentClient;
  /** Closes the HTTP/2 connection so the CLI can exit. */
  close(): void;
}

const CALL_TIMEOUT_MS = 10 * 60_000;

/** A gRPC client for the agent at `address` (host:port), over TLS, sending the bearer token. */
export function connectAgent(address: string, token: string, ca?: string | Buffer): AgentConnection {
  const baseUrl = `https://${address}`;
  const bearer: Interceptor = (next) => (req) => {
    req.header.set('authorization', `Bearer ${token}`);
    return next(req);
  };
  const sessionManager = new Http2SessionManager(baseUrl, {}, ca ? { ca } : {});
  const transport = createGrpcTransport({
    baseUrl,
    sessionManager,
    interceptors: [bearer],
    defaultTimeoutMs: CALL_TIMEOUT_MS,
  });
  return { client: createClient(McpAgentService, transport), close: () => sessionManager.abort() };
}
