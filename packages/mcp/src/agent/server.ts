import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { AuditLog } from '../auth/audit.js';
import type { Authenticator } from '../auth/authenticator.js';
import { authInterceptor } from '../auth/interceptor.js';
import { McpAgentService } from '../gen/mcp/v1/mcp_pb.js';
import type { AgentContext } from './context.js';
import { MAX_FILE_BYTES } from './files.js';
import { agentService } from './service.js';

/** The largest request: one file plus room for the rest of the message. */
const MAX_MESSAGE_BYTES = MAX_FILE_BYTES + 1024 * 1024;

export interface AgentServerOptions {
  host: string;
  port: number;
  tlsCert: string | Buffer;
  tlsKey: string | Buffer;
  authenticator: Authenticator;
  audit: AuditLog;
}

export interface AgentServer {
  server: Http2SecureServer;
  port: number;
  close(): Promise<void>;
}

/** Serves McpAgentService over gRPC (HTTP/2 + TLS only), every call authenticated and audited. */
export async function startAgentServer(ctx: AgentContext, options: AgentServerOptions): Promise<AgentServer> {
  const handler = connectNodeAdapter({
    routes: (router) => router.service(McpAgentService, agentService(ctx)),
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes: MAX_MESSAGE_BYTES,
    interceptors: [authInterceptor(options.authenticator, options.audit)],
  });
  const server = createSecureServer(
    { cert: options.tlsCert, key: options.tlsKey, allowHTTP1: false },
    handler,
  );
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.close();
      }),
  };
}
