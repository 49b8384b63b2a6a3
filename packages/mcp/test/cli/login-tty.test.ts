import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityStub } from '../helpers/identity-stub.js';
import { tempDir } from '../helpers/tmp.js';

const bin = fileURLToPath(new URL('../../bin/mcp.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)));

/**
 * Runs `mcp login` on a real terminal (util-linux `script` allocates a pty) and answers each prompt
 * once it appears.
 */
function loginOnTerminal(
  env: NodeJS.ProcessEnv,
  answers: [string, string][],
): Promise<{ code: number; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', `exec '${process.execPath}' '${bin}' login`, '/dev/null'], {
      env,
    });
    let screen = '';
    const pending = [...answers];
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`login did not finish; screen so far: ${JSON.stringify(screen)}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      const next = pending[0];
      if (next && screen.endsWith(next[0])) {
        pending.shift();
        child.stdin.write(next[1]);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code: code ?? -1, screen });
    });
  });
}

describe('mcp login on a terminal', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let identity: IdentityStub;

  beforeAll(async () => {
    if (!built)
      throw new Error('packages/mcp is not built: run "npm run build" (npm test does) before this test');
    dir = await tempDir();
    identity = await new IdentityStub().start();
    identity.passwords.set('ops', { password: 'p4ss w0rd', token: 'terminal-token' });
  });
  afterAll(async () => {
    await identity?.stop();
    await dir?.cleanup();
  });

  it('echoes the username, not the password, and saves the token with mode 0600', async () => {
    const config = join(dir.path, 'mcp.toml');
    const tokenPath = join(dir.path, 'token');
    await writeFile(
      config,
      `[services]\ndir = "${dir.path}"\n[mcias]\nserver_url = "${identity.url}"\n[auth]\ntoken_path = "${tokenPath}"\n`,
    );
    const { code, screen } = await loginOnTerminal({ PATH: process.env.PATH, MCP_CONFIG: config }, [
      ['Username: ', 'ops\r'],
      ['Password: ', 'p4ss w0rd\r'],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toContain('Username: ops');
    expect(screen).not.toContain('p4ss');
    expect(screen).toContain(`logged in as ops; token saved to ${tokenPath}`);
    expect(await readFile(tokenPath, 'utf8')).toBe('terminal-token\n');
    expect((await stat(tokenPath)).mode & 0o777).toBe(0o600);
  });
});
