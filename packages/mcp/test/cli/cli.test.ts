import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Code, ConnectError } from '@connectrpc/connect';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMain } from '../../src/agent/main.js';
import { loadServiceDef, writeServiceDef } from '../../src/servicedef/load.js';
import { componentDef } from '../../src/servicedef/types.js';
import { type ControlPlane, runCli, startControlPlane } from '../helpers/cli.js';
import { IdentityStub } from '../helpers/identity-stub.js';
import { tempDir } from '../helpers/tmp.js';

describe('mcp CLI against a real agent (no containers needed)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let identity: IdentityStub;
  let plane: ControlPlane;

  beforeAll(async () => {
    dir = await tempDir();
    identity = await new IdentityStub().start();
    identity.tokens.set('ops-token', { username: 'ops', roles: ['admin'], accountType: 'human' });
    identity.passwords.set('ops', { password: 'hunter2 hunter2', token: 'ops-token' });
    plane = await startControlPlane({ dir: dir.path, identityUrl: identity.url, token: 'ops-token' });
  });

  afterAll(async () => {
    await plane?.close();
    await identity?.stop();
    await dir?.cleanup();
  });

  it('login asks for username and password and saves the token with mode 0600', async () => {
    const tokenPath = join(dir.path, 'login', 'token');
    const env = { ...plane.env, MCP_AUTH_TOKEN_PATH: tokenPath };
    const result = await runCli(env, ['login'], 'ops\nhunter2 hunter2\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Username: ');
    expect(result.stderr).toContain('Password: ');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stdout).toContain(`logged in as ops; token saved to ${tokenPath}`);
    expect(await readFile(tokenPath, 'utf8')).toBe('ops-token\n');
    expect((await stat(tokenPath)).mode & 0o777).toBe(0o600);
    expect(identity.logins.at(-1)).toEqual({
      username: 'ops',
      password: 'hunter2 hunter2',
      service_name: 'mcp',
      tags: [],
    });

    const wrong = await runCli(env, ['login', '--username', 'ops'], 'nope\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('login failed: invalid credentials');
  });

  it('names the missing key when login has no identity service configured', async () => {
    const config = join(dir.path, 'bare.toml');
    await writeFile(
      config,
      `[services]\ndir = "${plane.servicesDir}"\n[auth]\ntoken_path = "${dir.path}/t"\n`,
    );
    const result = await runCli({ MCP_CONFIG: config }, ['login'], 'ops\nx\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing required key [mcias] server_url (or MCP_MCIAS_SERVER_URL)');
  });

  it('refuses calls without a valid token, naming the gRPC code', async () => {
    const result = await runCli({ ...plane.env, MCP_AUTH_TOKEN: 'stolen' }, ['list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/node node1 \(127\.0\.0\.1:\d+\): UNAUTHENTICATED: invalid token/);
  });

  it('node list shows each agent version; node add and remove edit the config', async () => {
    const listed = await plane.mcp('node', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/NODE\s+ADDRESS\s+AGENT\s+RUNTIME\s+UPTIME\s+RUNNING\s+DRIFTED/);
    expect(listed.stdout).toMatch(/node1\s+127\.0\.0\.1:\d+\s+0\.1\.0\s+podman /);

    expect((await plane.mcp('node', 'add', 'ghost', '127.0.0.1:9')).code).toBe(0);
    const raw = await plane.mcp('--json', 'node', 'list');
    expect(raw.code).toBe(1);
    const nodes = JSON.parse(raw.stdout) as { name: string; reachable: boolean; agentVersion?: string }[];
    expect(nodes.map((n) => [n.name, n.reachable])).toEqual([
      ['node1', true],
      ['ghost', false],
    ]);
    expect(nodes[0]?.agentVersion).toBe('0.1.0');

    expect((await plane.mcp('node', 'remove', 'ghost')).code).toBe(0);
    expect(await readFile(plane.configPath, 'utf8')).not.toContain('ghost');
    const duplicate = await plane.mcp('node', 'add', 'node1', 'x:1');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('node "node1" already exists');
  });

  it('service show prints the file; edit saves a valid edit and keeps an invalid one aside', async () => {
    const def = {
      name: 'blog',
      node: 'node1',
      active: true,
      components: [componentDef('web', 'localhost/blog:v1')],
    };
    const path = await writeServiceDef(plane.servicesDir, def);
    const shown = await plane.mcp('service', 'show', 'blog');
    expect(shown.stdout).toBe(await readFile(path, 'utf8'));
    expect(await plane.mcpJson('service', 'show', 'blog')).toEqual(def);

    const editor = join(dir.path, 'editor.cjs');
    await writeFile(
      editor,
      `const fs = require('node:fs'); const f = process.argv[2];
       fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(process.env.FROM, process.env.TO));`,
    );
    const edit = (from: string, to: string) =>
      runCli({ ...plane.env, EDITOR: `${process.execPath} ${editor}`, FROM: from, TO: to }, [
        'service',
        'edit',
        'blog',
      ]);
    const saved = await edit('blog:v1', 'blog:v2');
    expect(saved.code, saved.stderr).toBe(0);
    expect((await loadServiceDef(path)).components[0]?.image).toBe('localhost/blog:v2');

    const broken = await edit('image = "localhost/blog:v2"', 'image = ""');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('components[0].image is required');
    expect(broken.stderr).toContain('.blog.edit.toml');
    expect((await loadServiceDef(path)).components[0]?.image).toBe('localhost/blog:v2');

    const unchanged = await edit('nothing-matches', 'x');
    expect(unchanged.stdout).toContain('blog: no changes');
  });

  it('service export writes TOML from the registry that loads back', async () => {
    const { registry } = plane.agent.agent.ctx;
    registry.upsertService('legacy', true);
    registry.putComponent(
      'legacy',
      componentDef('api', 'localhost/legacy:v3', { env: ['A=1'], ports: ['8080:80'] }),
      'running',
      'v3',
    );
    registry.putComponent('legacy', componentDef('sidecar', 'localhost/side:v1'), 'ignore', 'v1');
    const out = join(dir.path, 'legacy.toml');
    expect((await plane.mcp('service', 'export', 'legacy', '-o', out)).code).toBe(0);
    expect(await loadServiceDef(out)).toEqual({
      name: 'legacy',
      node: 'node1',
      active: true,
      components: [componentDef('api', 'localhost/legacy:v3', { env: ['A=1'], ports: ['8080:80'] })],
    });
    const listed = await plane.mcp('list');
    expect(listed.stdout).toMatch(/node1\s+legacy\s+api\s+running\s+unknown\s+v3\s+localhost\/legacy:v3/);
    expect(listed.stdout).toMatch(/node1\s+legacy\s+sidecar\s+ignore\s+unknown\s+v1/);
  });

  it('push and pull round-trip a file with its mode, and refuse an escape', async () => {
    const local = join(dir.path, 'app.conf');
    await writeFile(local, 'listen = 8080\n');
    await chmod(local, 0o640);
    const pushed = await plane.mcp('push', local, 'blog', 'conf/app.conf');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain(`→ node1:${join(dir.path, 'srv', 'blog', 'conf', 'app.conf')}`);

    const back = join(dir.path, 'back.conf');
    const pulled = await plane.mcp('pull', 'blog', 'conf/app.conf', back);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(await readFile(back, 'utf8')).toBe('listen = 8080\n');
    expect((await stat(back)).mode & 0o777).toBe(0o640);

    const escaped = await plane.mcp('push', local, 'blog', '../../etc/app.conf');
    expect(escaped.code).toBe(1);
    expect(escaped.stderr).toContain('INVALID_ARGUMENT: path "../../etc/app.conf" must not contain ".."');
  });

  it('push and pull refuse a service with no definition that the node does not run, making no directory', async () => {
    const local = join(dir.path, 'stray.conf');
    await writeFile(local, 'x = 1\n');
    const pushed = await plane.mcp('push', local, 'nosuchsvc', 'conf/stray.conf');
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain(
      `unknown service "nosuchsvc": no definition in ${plane.servicesDir} and node node1 does not run it`,
    );
    expect(existsSync(join(dir.path, 'srv', 'nosuchsvc'))).toBe(false);
    const pulled = await plane.mcp('pull', 'nosuchsvc', 'conf/stray.conf', join(dir.path, 'out.conf'));
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toContain('unknown service "nosuchsvc"');

    // A service the node runs without a local definition (adopted, say) is known.
    plane.agent.agent.ctx.registry.upsertService('adopted', true);
    const adopted = await plane.mcp('push', local, 'adopted', 'conf/stray.conf');
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(await readFile(join(dir.path, 'srv', 'adopted', 'conf', 'stray.conf'), 'utf8')).toBe('x = 1\n');
  });

  it('refuses a port or volume podman would refuse, in the CLI and on the agent, before recording anything', async () => {
    await writeFile(
      join(plane.servicesDir, 'badport.toml'),
      'name = "badport"\nnode = "node1"\n[[components]]\nname = "web"\nimage = "localhost/x:v1"\nports = ["abc"]\n',
    );
    const deployed = await plane.mcp('deploy', 'badport');
    expect(deployed.code).toBe(1);
    expect(deployed.stderr).toContain(
      'components[0].ports[0] "abc" must be [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp|sctp]',
    );

    const client = plane.agent.connect('ops-token').client;
    const sent = await client
      .deploy({
        service: {
          name: 'badvol',
          active: true,
          components: [{ name: 'web', image: 'localhost/x:v1', volumes: ['relative/dir:/data'] }],
        },
      })
      .then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
    expect(sent?.code).toBe(Code.InvalidArgument);
    expect(sent?.rawMessage).toContain('components[0].volumes[0] "relative/dir:/data" must be');
    expect(plane.agent.agent.ctx.registry.getService('badvol')).toBeUndefined();
    await rm(join(plane.servicesDir, 'badport.toml'));
  });

  it('explains an unknown service and a missing config', async () => {
    const missing = await plane.mcp('deploy', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no service definition for "nope"');
    const noConfig = await runCli({ MCP_CONFIG: join(dir.path, 'absent.toml') }, ['list']);
    expect(noConfig.code).toBe(1);
    expect(noConfig.stderr).toContain('absent.toml not found');
  });

  it('mcp-agent snapshot writes a valid SQLite copy of the registry', async () => {
    const code = await agentMain(['node', 'mcp-agent', 'snapshot', '--config', plane.agent.config.path]);
    expect(code).toBe(0);
    const backups = plane.agent.config.database.backupsDir;
    const [file] = await readdir(backups);
    expect(file).toMatch(/^mcp-\d{8}T\d{6}Z\.db$/);
    const copy = new Database(join(backups, file ?? ''), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT name FROM services ORDER BY name').pluck().all()).toContain('legacy');
    copy.close();
  });
});
