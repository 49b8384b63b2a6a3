import { readFile } from 'node:fs/promises';
import { type Logger, pino } from 'pino';
import { PinoAuditLog } from '../auth/audit.js';
import { Authenticator } from '../auth/authenticator.js';
import type { TokenVerifier } from '../auth/identity.js';
import { MciasVerifier } from '../auth/mcias.js';
import { OidcVerifier } from '../auth/oidc.js';
import { SerialQueue } from '../common/serial.js';
import { packageVersion } from '../common/version.js';
import { type AgentConfig, type IdentityConfig, parseListenAddress } from '../config/agent.js';
import { Monitor } from '../monitor/monitor.js';
import { Registry } from '../registry/registry.js';
import { PodmanRuntime } from '../runtime/podman.js';
import type { Runtime } from '../runtime/runtime.js';
import type { AgentContext } from './context.js';
import { type AgentServer, startAgentServer } from './server.js';

export async function verifierFor(identity: IdentityConfig): Promise<TokenVerifier> {
  if (identity.kind === 'oidc') return new OidcVerifier(identity.issuer, identity.audience, identity.jwksUrl);
  const ca = identity.caCert ? await readFile(identity.caCert) : undefined;
  return new MciasVerifier(identity.serverUrl, { ca });
}

export function agentLogger(config: AgentConfig, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { name: 'mcp-agent', level: config.log.level, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? pino.destination(2),
  );
}

/** The node's shared context: registry, runtime and queue. */
export function agentContext(config: AgentConfig, logger: Logger, runtime?: Runtime): AgentContext {
  return {
    registry: Registry.open(config.database.path),
    runtime: runtime ?? new PodmanRuntime(config.agent.containerRuntime),
    queue: new SerialQueue(),
    nodeName: config.agent.nodeName,
    filesRoot: config.agent.filesRoot,
    logger,
    startedAt: new Date(),
    version: packageVersion(),
    monitor: config.monitor,
  };
}

export interface RunningAgent {
  ctx: AgentContext;
  server: AgentServer;
  monitor: Monitor;
  /** Stops the monitor, closes the server, then the registry. */
  close(): Promise<void>;
}

/** Starts the whole agent: gRPC server and monitor. */
export async function startAgent(
  config: AgentConfig,
  options: { logger?: Logger; runtime?: Runtime; verifier?: TokenVerifier } = {},
): Promise<RunningAgent> {
  const logger = options.logger ?? agentLogger(config);
  const listen = parseListenAddress(config.server.grpcAddr);
  if (!listen) throw new Error(`[server] grpc_addr "${config.server.grpcAddr}" is not host:port`);
  const [tlsCert, tlsKey] = await Promise.all([
    readFile(config.server.tlsCert),
    readFile(config.server.tlsKey),
  ]);
  const verifier = options.verifier ?? (await verifierFor(config.identity));
  const ctx = agentContext(config, logger, options.runtime);
  let server: AgentServer;
  try {
    server = await startAgentServer(ctx, {
      ...listen,
      tlsCert,
      tlsKey,
      authenticator: new Authenticator(verifier),
      audit: new PinoAuditLog(logger),
    });
  } catch (error) {
    ctx.registry.close();
    throw error;
  }
  const monitor = new Monitor(ctx, config.monitor);
  monitor.start();
  logger.info(
    { address: `${listen.host}:${server.port}`, node: ctx.nodeName, version: ctx.version },
    'mcp-agent listening',
  );
  return {
    ctx,
    server,
    monitor,
    close: async () => {
      await monitor.stop();
      await server.close();
      ctx.registry.close();
    },
  };
}
