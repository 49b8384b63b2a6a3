import { Code, ConnectError } from '@connectrpc/connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAgent, type TestAgent } from '../helpers/agent.js';
import { IdentityStub } from '../helpers/identity-stub.js';
import { tempDir } from '../helpers/tmp.js';

async function codeOf(call: Promise<unknown>): Promise<Code | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

describe('agent RPCs over gRPC + TLS, authenticated by an identity service', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let identity: IdentityStub;
  let agent: TestAgent;

  beforeAll(async () => {
    dir = await tempDir();
    identity = await new IdentityStub().start();
    identity.tokens.set('alice-token', { username: 'alice', roles: ['admin'], accountType: 'human' });
    identity.tokens.set('bob-token', { username: 'bob', roles: ['operator'], accountType: 'human' });
    identity.tokens.set('gus-token', { username: 'gus', roles: ['guest'], accountType: 'human' });
    agent = await startTestAgent({ dir: dir.path, identityUrl: identity.url });
  });

  afterAll(async () => {
    await agent?.close();
    await identity?.stop();
    await dir?.cleanup();
  });

  it('refuses a call without a token with UNAUTHENTICATED', async () => {
    const { client } = agent.connect('');
    const noHeader = client.listServices({}, { headers: { authorization: '' } });
    expect(await codeOf(noHeader)).toBe(Code.Unauthenticated);
  });

  it('refuses an unknown token with UNAUTHENTICATED', async () => {
    const { client } = agent.connect('forged-token');
    expect(await codeOf(client.listServices({}))).toBe(Code.Unauthenticated);
  });

  it('refuses a guest with PERMISSION_DENIED', async () => {
    const { client } = agent.connect('gus-token');
    expect(await codeOf(client.nodeStatus({}))).toBe(Code.PermissionDenied);
  });

  it('serves a valid token and names the node and agent version', async () => {
    const { client } = agent.connect('alice-token');
    const status = await client.nodeStatus({});
    expect(status.nodeName).toBe('node1');
    expect(status.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect((await client.listServices({})).services).toEqual([]);
  });

  it('asks the identity service once per token within 30 s', async () => {
    const { client } = agent.connect('bob-token');
    const before = identity.validateCalls;
    await client.listServices({});
    await client.listServices({});
    await client.nodeStatus({});
    expect(identity.validateCalls - before).toBe(1);
  });

  it('answers INVALID_ARGUMENT to a service spec that does not validate', async () => {
    const { client } = agent.connect('alice-token');
    const noComponents = client.deploy({ service: { name: 'web', active: true, components: [] } });
    expect(await codeOf(noComponents)).toBe(Code.InvalidArgument);
    const badName = client.stopService({ name: '../etc' });
    expect(await codeOf(badName)).toBe(Code.InvalidArgument);
    const twice = client.deploy({
      service: {
        name: 'web',
        active: true,
        components: [
          { name: 'app', image: 'localhost/x:1' },
          { name: 'app', image: 'localhost/y:1' },
        ],
      },
    });
    try {
      await twice;
      expect.unreachable();
    } catch (error) {
      const failure = ConnectError.from(error);
      expect(failure.code).toBe(Code.InvalidArgument);
      expect(failure.rawMessage).toContain('component name "app" is used twice');
    }
  });

  it('answers NOT_FOUND for a service that is not deployed', async () => {
    const { client } = agent.connect('alice-token');
    expect(await codeOf(client.startService({ name: 'nothing-here' }))).toBe(Code.NotFound);
  });

  it('writes one audit line per RPC with method, caller, time and outcome, and never the token', async () => {
    const before = agent.audit().length;
    const { client } = agent.connect('alice-token');
    await client.listServices({});
    await codeOf(agent.connect('forged-token').client.listServices({}));
    await codeOf(agent.connect('gus-token').client.listServices({}));
    const lines = agent.audit().slice(before);
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => [line.method, line.caller, line.outcome])).toEqual([
      ['/mcp.v1.McpAgentService/ListServices', 'alice', 'ok'],
      ['/mcp.v1.McpAgentService/ListServices', '-', 'UNAUTHENTICATED'],
      ['/mcp.v1.McpAgentService/ListServices', 'gus', 'PERMISSION_DENIED'],
    ]);
    for (const line of lines) expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
    const everything = JSON.stringify(agent.logs);
    for (const token of ['alice-token', 'forged-token', 'gus-token']) expect(everything).not.toContain(token);
  });

  it('fails closed when the identity service is down', async () => {
    await identity.stop();
    const { client } = agent.connect('new-token-never-seen');
    expect(await codeOf(client.listServices({}))).toBe(Code.Unavailable);
    const last = agent.audit().at(-1);
    expect(last?.outcome).toBe('UNAVAILABLE');
  });
});
