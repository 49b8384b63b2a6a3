import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';

/** What a failed command printed on stderr, and its exit code. */
async function failure(args: string[], env: Record<string, string> = {}) {
  const error = await runCli(args, env).then(
    () => {
      throw new Error(`wikibot ${args.join(' ')} succeeded`);
    },
    (e: { code: number; stderr: string; stdout: string }) => e,
  );
  return { code: error.code, stderr: error.stderr, stdout: error.stdout };
}

/** stderr without the warning an older Node prints when oidc-provider loads (not ours to silence). */
const ours = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line && !line.startsWith('oidc-provider WARNING'))
    .join('\n');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wikibot-first-run-'));
});
afterAll(async () => {
  await removeDir(tmp);
});

describe('serve on a port already in use', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  it('says so in one line before first-run set-up, and the next start still shows the password', async () => {
    const dataDir = join(tmp, 'busy');
    const result = await failure(['--data', dataDir, 'serve', '--port', String(port)]);
    expect(result.code).toBe(1);
    expect(ours(result.stderr)).toBe(
      `error: port ${port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with --port`,
    );
    expect(result.stdout).toBe('');
    expect(await readdir(dataDir).catch(() => [])).not.toContain('wikis');

    const server = await serveProcess(['--data', dataDir, '--port', '0']);
    try {
      expect(server.output()).toMatch(/One-time password: \S+/);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('one clear line instead of a stack trace', () => {
  it('for a data directory that is a file', async () => {
    const file = join(tmp, 'a-file');
    await writeFile(file, 'not a directory');
    const result = await failure(['--data', file, 'wiki', 'list']);
    expect(result.code).toBe(1);
    expect(ours(result.stderr)).toBe(`error: ${file}: a directory is needed there, but a file is in the way`);
  });

  it('for importing a path that does not exist', async () => {
    const missing = join(tmp, 'no-such-repo');
    const result = await failure(['--data', join(tmp, 'import'), 'import', missing]);
    expect(result.code).toBe(1);
    expect(ours(result.stderr)).toBe(
      `error: Cannot import ${missing}: repository '${missing}' does not exist`,
    );
  });

  it('for a configuration with several errors: the file and every error, with where each came from', async () => {
    const file = join(tmp, 'bad.toml');
    await writeFile(file, 'port = "eighty"\ncolour = "blue"\n[auth]\nsession_hours = -1\n');
    const result = await failure(['--config', file, 'wiki', 'list'], { WIKIBOT_LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(ours(result.stderr).split('\n')).toEqual([
      `error: Invalid configuration in ${file}:`,
      '  port: Invalid input: expected number, received NaN',
      '  log_level: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (from WIKIBOT_LOG_LEVEL)',
      '  auth.session_hours: Too small: expected number to be >0',
      '  (root): Unrecognized key: "colour"',
    ]);
  });
});

describe('--help', () => {
  it('describes every command and subcommand', async () => {
    const groups = [[], ['wiki'], ['token'], ['user'], ['model']];
    const listed = await Promise.all(
      groups.map(async (group) => {
        const { stdout } = await runCli([...group, '--help']);
        // "  name [options] <arg>   description"; a wrapped description continues further indented.
        const commands = (stdout.split('Commands:\n')[1] ?? '').split('\n');
        return commands.flatMap((line) => {
          const name = /^ {2}(\S+)/.exec(line)?.[1];
          if (!name) return [];
          return [{ command: [...group, name].join(' '), described: /\S {2,}\S/.test(line.trim()) }];
        });
      }),
    );
    const commands = listed.flat();
    expect(commands.map((c) => c.command)).toEqual(
      expect.arrayContaining(['serve', 'wiki create', 'user create', 'model pull']),
    );
    expect(commands.filter((c) => !c.described)).toEqual([]);
  }, 60_000);

  it('shows --data and --config in serve --help', async () => {
    const { stdout } = await runCli(['serve', '--help']);
    expect(stdout).toMatch(/--data <dir>\s+data directory/);
    expect(stdout).toMatch(/--config <file>/);
  });
});

describe('quiet by default', () => {
  const offline = { WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD: 'false' };
  const notices = (output: string) => output.split('semantic search unavailable').length - 1;

  it('says nothing about the embedding model on commands that do not embed', async () => {
    const dataDir = join(tmp, 'quiet');
    const created = await runCli(['--data', dataDir, 'wiki', 'create', 'notes'], offline);
    expect(created.stdout).toBe('created wiki notes\n');
    expect(ours(created.stderr)).toBe('');
    const listed = await runCli(['--data', dataDir, 'wiki', 'list'], offline);
    expect(listed.stdout).toBe('notes\tnotes\tprivate\n');
    expect(ours(listed.stderr)).toBe('');
  });

  it('gives the missing-model notice once, as text on stderr, when reindexing', async () => {
    const dataDir = join(tmp, 'quiet');
    const { stdout, stderr } = await runCli(['--data', dataDir, 'reindex'], offline);
    expect(stdout).toBe('reindexed notes: 3 pages\n');
    expect(notices(stderr)).toBe(1);
    expect(ours(stderr)).toMatch(/^semantic search unavailable: embedding model "Xenova\/all-MiniLM-L6-v2"/);
  });
});
