import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { saveToken } from '../../src/auth/token-file.js';
import { cliMain } from '../../src/cli/main.js';
import type { Env } from '../../src/config/reader.js';
import { startTestAgent, type TestAgent, type TestAgentOptions } from './agent.js';
import { IdentityStub } from './identity-stub.js';
import { tempDir } from './tmp.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mcp …args` in-process with its own stdin/stdout/stderr and environment. */
export async function runCli(env: Env, args: string[], stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const input = Readable.from([stdin]) as unknown as NodeJS.ReadableStream;
  const code = await cliMain(['node', 'mcp', ...args], {
    stdin: input,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}

export interface ControlPlane {
  agent: TestAgent;
  servicesDir: string;
  configPath: string;
  tokenPath: string;
  env: Env;
  mcp(...args: string[]): Promise<CliRun>;
  /** `mcp --json …`, parsed; fails the test on a non-zero exit. */
  mcpJson<T>(...args: string[]): Promise<T>;
  close(): Promise<void>;
}

/** A real agent plus a CLI config (services dir, saved token, the agent's CA, one node). */
export async function startControlPlane(
  options: TestAgentOptions & { token: string },
): Promise<ControlPlane> {
  const agent = await startTestAgent(options);
  const servicesDir = join(options.dir, 'services');
  await mkdir(servicesDir, { recursive: true });
  const tokenPath = join(options.dir, 'cli', 'token');
  await saveToken(tokenPath, options.token);
  const configPath = join(options.dir, 'cli', 'mcp.toml');
  await writeFile(
    configPath,
    [
      '[services]',
      `dir = "${servicesDir}"`,
      '[mcias]',
      `server_url = "${options.identityUrl}"`,
      'service_name = "mcp"',
      '[auth]',
      `token_path = "${tokenPath}"`,
      '[tls]',
      `ca_cert = "${agent.cert.certPath}"`,
      '',
      '[[nodes]]',
      `name = "${options.nodeName ?? 'node1'}"`,
      `address = "${agent.address}"`,
      '',
    ].join('\n'),
  );
  const env: Env = { MCP_CONFIG: configPath, PATH: process.env.PATH };
  const mcp = (...args: string[]) => runCli(env, args);
  return {
    agent,
    servicesDir,
    configPath,
    tokenPath,
    env,
    mcp,
    async mcpJson<T>(...args: string[]): Promise<T> {
      const result = await mcp('--json', ...args);
      if (result.code !== 0) throw new Error(`mcp ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    close: () => agent.close(),
  };
}

/** A service as `mcp --json list` shows it. */
export interface ListedService {
  name: string;
  active: boolean;
  components: { desiredState: string; spec: { name: string } }[];
}

/** The service `name` in the first node's registry, as `mcp --json list` shows it. */
export async function listedService(plane: ControlPlane, name: string): Promise<ListedService | undefined> {
  const [node] = await plane.mcpJson<{ services: ListedService[] }[]>('list');
  return node?.services.find((service) => service.name === name);
}

export interface OperatorPlane {
  dir: string;
  identity: IdentityStub;
  plane: ControlPlane;
  close(): Promise<void>;
}

/** In a fresh temp directory: an identity service that knows the operator token, and a control plane. */
export async function startOperatorPlane(): Promise<OperatorPlane> {
  const dir = await tempDir();
  const identity = await new IdentityStub().start();
  identity.tokens.set('ops-token', { username: 'ops', roles: ['admin'], accountType: 'human' });
  const plane = await startControlPlane({ dir: dir.path, identityUrl: identity.url, token: 'ops-token' });
  return {
    dir: dir.path,
    identity,
    plane,
    async close() {
      await plane.close();
      await identity.stop();
      await dir.cleanup();
    },
  };
}
