import { readFile, stat } from 'node:fs/promises';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { writeFileAtomic } from '../common/atomic-write.js';
import type {
  PullFileRequest,
  PullFileResponseSchema,
  PushFileRequest,
  PushFileResponseSchema,
} from '../gen/mcp/v1/mcp_pb.js';
import type { AgentContext } from './context.js';
import { invalidArgument, notFound, requireServiceName } from './errors.js';
import { PathMissingError, PathRefusedError, resolveServicePath } from './safe-path.js';

const DEFAULT_MODE = 0o644;
/** One file per call, carried in one gRPC message. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function resolve(ctx: AgentContext, service: string, path: string, create: boolean): Promise<string> {
  requireServiceName(service, 'service');
  try {
    return await resolveServicePath(ctx.filesRoot, service, path, create);
  } catch (error) {
    if (error instanceof PathRefusedError) throw invalidArgument(error.message);
    if (error instanceof PathMissingError) throw notFound(error.message);
    throw error;
  }
}

/** Writes one file under the service's directory: temp file + rename, with the sender's mode. */
export async function pushFile(
  ctx: AgentContext,
  request: PushFileRequest,
): Promise<MessageInitShape<typeof PushFileResponseSchema>> {
  if (request.content.length > MAX_FILE_BYTES)
    throw invalidArgument(`files are limited to ${MAX_FILE_BYTES} bytes`);
  const target = await resolve(ctx, request.service, request.path, true);
  const mode = request.mode & 0o777 || DEFAULT_MODE;
  await writeFileAtomic(target, request.content, mode);
  ctx.logger.info({ service: request.service, path: target, size: request.content.length }, 'file pushed');
  return { path: target, size: BigInt(request.content.length) };
}

/** Reads one file under the service's directory, with its mode. */
export async function pullFile(
  ctx: AgentContext,
  request: PullFileRequest,
): Promise<MessageInitShape<typeof PullFileResponseSchema>> {
  const target = await resolve(ctx, request.service, request.path, false);
  try {
    const info = await stat(target);
    if (info.size > MAX_FILE_BYTES)
      throw invalidArgument(`${request.path} is larger than ${MAX_FILE_BYTES} bytes`);
    return { content: await readFile(target), mode: info.mode & 0o777, path: target };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw notFound(`${request.service}:${request.path} does not exist`);
    throw error;
  }
}
