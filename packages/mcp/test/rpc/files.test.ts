import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Code, ConnectError } from '@connectrpc/connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient } from '../../src/cli/client.js';
import { startTestAgent, type TestAgent } from '../helpers/agent.js';
import { IdentityStub } from '../helpers/identity-stub.js';
import { tempDir } from '../helpers/tmp.js';

async function refusal(call: Promise<unknown>): Promise<{ code: Code; message: string }> {
  try {
    await call;
  } catch (error) {
    const failure = ConnectError.from(error);
    return { code: failure.code, message: failure.rawMessage };
  }
  throw new Error('the call was not refused');
}

describe('PushFile / PullFile over gRPC: one file under <root>/<service>/', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let identity: IdentityStub;
  let agent: TestAgent;
  let client: AgentClient;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    dir = await tempDir();
    root = join(dir.path, 'srv');
    outside = join(dir.path, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'secret.txt'), 'do not read');
    identity = await new IdentityStub().start();
    identity.tokens.set('t', { username: 'ops', roles: ['admin'], accountType: 'human' });
    agent = await startTestAgent({ dir: dir.path, identityUrl: identity.url, filesRoot: root });
    client = agent.connect('t').client;
  });

  afterAll(async () => {
    await agent?.close();
    await identity?.stop();
    await dir?.cleanup();
  });

  it('round-trips a file, creating intermediate directories and keeping its mode', async () => {
    const content = Buffer.from('#!/bin/sh\necho configured\n');
    const pushed = await client.pushFile({
      service: 'wiki',
      path: 'conf/nested/run.sh',
      content,
      mode: 0o750,
    });
    expect(pushed.path).toBe(join(root, 'wiki', 'conf', 'nested', 'run.sh'));
    expect(Number(pushed.size)).toBe(content.length);
    expect(await readFile(pushed.path)).toEqual(content);
    expect((await stat(pushed.path)).mode & 0o777).toBe(0o750);

    const pulled = await client.pullFile({ service: 'wiki', path: 'conf/nested/run.sh' });
    expect(Buffer.from(pulled.content)).toEqual(content);
    expect(pulled.mode).toBe(0o750);
  });

  it('replaces a file atomically and leaves no temporary files behind', async () => {
    await client.pushFile({
      service: 'wiki',
      path: 'app.toml',
      content: Buffer.from('v = 1\n'),
      mode: 0o600,
    });
    await client.pushFile({
      service: 'wiki',
      path: 'app.toml',
      content: Buffer.from('v = 2\n'),
      mode: 0o640,
    });
    expect(await readFile(join(root, 'wiki', 'app.toml'), 'utf8')).toBe('v = 2\n');
    expect((await stat(join(root, 'wiki', 'app.toml'))).mode & 0o777).toBe(0o640);
    expect((await readdir(join(root, 'wiki'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses ".." and absolute paths with INVALID_ARGUMENT', async () => {
    for (const path of ['../outside/secret.txt', 'conf/../../x', '/etc/passwd']) {
      const pushed = await refusal(client.pushFile({ service: 'wiki', path, content: Buffer.from('x') }));
      expect(pushed.code).toBe(Code.InvalidArgument);
      const pulled = await refusal(client.pullFile({ service: 'wiki', path }));
      expect(pulled.code).toBe(Code.InvalidArgument);
    }
    const badService = await refusal(
      client.pushFile({ service: '..', path: 'x', content: Buffer.from('x') }),
    );
    expect(badService.code).toBe(Code.InvalidArgument);
  });

  it('refuses to follow a symlink out of the service directory', async () => {
    await mkdir(join(root, 'wiki'), { recursive: true });
    await symlink(outside, join(root, 'wiki', 'escape-dir'));
    await symlink(join(outside, 'secret.txt'), join(root, 'wiki', 'escape-file'));

    const throughDir = await refusal(
      client.pushFile({ service: 'wiki', path: 'escape-dir/planted.txt', content: Buffer.from('x') }),
    );
    expect(throughDir.code).toBe(Code.InvalidArgument);
    expect(throughDir.message).toContain('symlink');
    const deeper = await refusal(
      client.pushFile({ service: 'wiki', path: 'escape-dir/new/planted.txt', content: Buffer.from('x') }),
    );
    expect(deeper.code).toBe(Code.InvalidArgument);
    expect(await readdir(outside)).toEqual(['secret.txt']);

    const overwrite = await refusal(
      client.pushFile({ service: 'wiki', path: 'escape-file', content: Buffer.from('x') }),
    );
    expect(overwrite.code).toBe(Code.InvalidArgument);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('do not read');

    const read = await refusal(client.pullFile({ service: 'wiki', path: 'escape-file' }));
    expect(read.code).toBe(Code.InvalidArgument);
  });

  it('follows a symlink that stays inside the service directory', async () => {
    await mkdir(join(root, 'wiki', 'real'), { recursive: true });
    await symlink(join(root, 'wiki', 'real'), join(root, 'wiki', 'current'));
    await client.pushFile({ service: 'wiki', path: 'current/data.txt', content: Buffer.from('inside') });
    expect(await readFile(join(root, 'wiki', 'real', 'data.txt'), 'utf8')).toBe('inside');
  });

  it('answers NOT_FOUND for a file or service directory that does not exist', async () => {
    expect((await refusal(client.pullFile({ service: 'wiki', path: 'missing.txt' }))).code).toBe(
      Code.NotFound,
    );
    expect((await refusal(client.pullFile({ service: 'nosuch', path: 'a.txt' }))).code).toBe(Code.NotFound);
  });
});
