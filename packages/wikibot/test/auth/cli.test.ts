import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../oauth/support/browser.js';
import { CLI, runCli, type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

let dataDir: string;
const cli = (...args: string[]) => runCli(['--data', dataDir, ...args]);

/** Run the CLI with `input` on standard input. */
function cliWithInput(input: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, '--data', dataDir, ...args], (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stderr })) : resolve({ stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

/** Start `wikibot serve` on the test data directory, run `task`, and always stop the process. */
async function withServer(task: (server: ServeProcess) => Promise<void>): Promise<void> {
  const server = await serveProcess(['--data', dataDir, '--port', '0']);
  try {
    await task(server);
  } finally {
    await server.stop();
  }
}

/** Sign in on a running server's login page; the response to the form post. */
async function signIn(url: string, login: string, password: string) {
  const browser = new Browser();
  const page = await browser.get(`${url}/-/login`);
  return browser.submit(page, { login, password }, '/-/login');
}

beforeAll(async () => {
  dataDir = await freshDataDir('wikibot-users-cli-');
});
afterAll(async () => {
  await removeDir(dataDir);
});

describe('wikibot serve on first run', () => {
  it('creates "admin" and prints its one-time password once; it signs in and must be changed', async () => {
    await withServer(async (first) => {
      const password = /One-time password: (\S+)/.exec(first.output())?.[1] as string;
      expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(first.output().match(/One-time password/g)).toHaveLength(1);
      const login = await signIn(first.url, 'admin', password);
      expect(login.status).toBe(303);
      expect(login.location).toContain('/-/login/password');
      // Once the sign-in's own log lines are out, no log line carries the password.
      await first.waitForLine((l) => l.includes('"event":"request"') && l.includes('"path":"/-/login"'));
      const logLines = first
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('\n')).not.toContain(password);
    });
    await withServer(async (second) => {
      expect(second.output()).not.toContain('One-time password');
    });
  });
});

describe('wikibot user', () => {
  it('create prints a one-time password alone on the last line; list shows the account', async () => {
    const { stdout, stderr } = await cli(
      'user',
      'create',
      'Jo',
      '--email',
      'jo@example.org',
      '--name',
      'Jo Doe',
    );
    expect(stderr).toContain('created user jo');
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^[A-Za-z0-9]{20}$/);
    const list = (await cli('user', 'list')).stdout;
    expect(list).toMatch(/^jo\tjo@example\.org\tJo Doe\t-\tactive\t-$/m);
  });

  it('create --password-stdin takes the password from a pipe and prints none', async () => {
    const { stdout } = await cliWithInput(
      'kim-secret-password\n',
      'user',
      'create',
      'kim',
      '--password-stdin',
    );
    expect(stdout).toBe('');
    await withServer(async (server) => {
      expect((await signIn(server.url, 'kim', 'kim-secret-password')).location).toBe(`${server.url}/`);
    });
  });

  it('refuses a duplicate, a bad username and a short password with a clear error', async () => {
    await expect(cli('user', 'create', 'jo')).rejects.toMatchObject({
      stderr: expect.stringContaining('User already exists: jo'),
    });
    await expect(cli('user', 'create', 'no spaces')).rejects.toMatchObject({
      stderr: expect.stringContaining('Invalid username'),
    });
    await expect(cliWithInput('short\n', 'user', 'create', 'lee', '--password-stdin')).rejects.toMatchObject({
      stderr: expect.stringContaining('at least 10 characters'),
    });
  });

  it('role gives, changes and takes away a role on a wiki', async () => {
    await cli('wiki', 'create', 'team');
    expect((await cli('user', 'role', 'jo', '--wiki', 'team', '--role', 'editor')).stdout).toContain(
      'jo is editor of team',
    );
    expect((await cli('user', 'list')).stdout).toMatch(/^jo\t.*\tteam:editor$/m);
    await cli('user', 'role', 'jo', '--wiki', 'team', '--role', 'owner');
    expect((await cli('user', 'list')).stdout).toMatch(/^jo\t.*\tteam:owner$/m);
    // The last owner can be neither removed nor demoted, from the CLI as from the web.
    for (const role of ['none', 'viewer']) {
      await expect(cli('user', 'role', 'jo', '--wiki', 'team', '--role', role)).rejects.toMatchObject({
        stderr: expect.stringContaining('A wiki needs at least one owner'),
      });
    }
    await cli('user', 'role', 'kim', '--wiki', 'team', '--role', 'owner');
    await cli('user', 'role', 'jo', '--wiki', 'team', '--role', 'none');
    expect((await cli('user', 'list')).stdout).toMatch(/^jo\t.*\t-$/m);
    await expect(cli('user', 'role', 'jo', '--wiki', 'team', '--role', 'boss')).rejects.toMatchObject({
      stderr: expect.stringContaining('Unknown role: boss'),
    });
  });

  it('passwd and disable/enable take effect on the running server', async () => {
    await withServer(async (server) => {
      await cliWithInput('kim-second-password\n', 'user', 'passwd', 'kim', '--password-stdin');
      expect((await signIn(server.url, 'kim', 'kim-secret-password')).status).toBe(401);
      expect((await signIn(server.url, 'kim', 'kim-second-password')).status).toBe(303);
      expect((await cli('user', 'disable', 'kim')).stdout).toContain('disabled user kim');
      expect((await cli('user', 'list')).stdout).toMatch(/^kim\t.*\tdisabled\t/m);
      expect((await signIn(server.url, 'kim', 'kim-second-password')).status).toBe(401);
      await cli('user', 'enable', 'kim');
      expect((await signIn(server.url, 'kim', 'kim-second-password')).status).toBe(303);
    });
  });
});
