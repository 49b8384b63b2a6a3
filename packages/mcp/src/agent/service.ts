import type { ServiceImpl } from '@connectrpc/connect';
import type { McpAgentService } from '../gen/mcp/v1/mcp_pb.js';
import { adoptContainers } from './adopt.js';
import type { AgentContext } from './context.js';
import { deploy } from './deploy.js';
import { toConnectError } from './errors.js';
import { pullFile, pushFile } from './files.js';
import { restartService, startService, stopService } from './lifecycle.js';
import { nodeStatus } from './node.js';
import { removeService } from './remove.js';
import { listServices, liveCheck, serviceStatus } from './status.js';
import { syncDesiredState } from './sync.js';

/** Maps every failure to a gRPC error with the right code. */
async function guarded<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toConnectError(error);
  }
}

/** Every RPC of McpAgentService, bound to one node's context. */
export function agentService(ctx: AgentContext): ServiceImpl<typeof McpAgentService> {
  return {
    deploy: (req) => guarded(() => deploy(ctx, req)),
    stopService: (req) => guarded(() => stopService(ctx, req.name)),
    startService: (req) => guarded(() => startService(ctx, req.name)),
    restartService: (req) => guarded(() => restartService(ctx, req.name)),
    syncDesiredState: (req) => guarded(() => syncDesiredState(ctx, req.services)),
    listServices: () => guarded(() => listServices(ctx)),
    getServiceStatus: (req) => guarded(() => serviceStatus(ctx, req)),
    liveCheck: () => guarded(() => liveCheck(ctx)),
    adoptContainers: (req) => guarded(() => adoptContainers(ctx, req.service)),
    pushFile: (req) => guarded(() => pushFile(ctx, req)),
    pullFile: (req) => guarded(() => pullFile(ctx, req)),
    nodeStatus: () => guarded(() => nodeStatus(ctx)),
    removeService: (req) => guarded(() => removeService(ctx, req)),
  };
}
