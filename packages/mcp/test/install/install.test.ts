import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../../src/config/agent.js';
import { loadCliConfig } from '../../src/config/cli.js';
import { loadAll } from '../../src/servicedef/load.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const script = join(repo, 'deploy', 'mcp', 'install.sh');

/** Every path under `root` with its type, mode and content hash (or link target). */
async function tree(root: string): Promise<string[]> {
  const lines: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const info = await lstat(path);
      const mode = (info.mode & 0o7777).toString(8);
      const rel = relative(root, path);
      if (info.isSymbolicLink()) lines.push(`${rel} link ${await readlink(path)}`);
      else if (info.isDirectory()) {
        lines.push(`${rel}/ ${mode}`);
        await walk(path);
      } else
        lines.push(
          `${rel} ${mode} ${createHash('sha256')
            .update(await readFile(path))
            .digest('hex')}`,
        );
    }
  }
  await walk(root);
  return lines;
}

describe('deploy/mcp/install.sh', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    if (!existsSync(join(repo, 'packages/mcp/dist/cli/main.js'))) {
      throw new Error('packages/mcp is not built: run "npm run build" (npm test does) before this test');
    }
    dir = await tempDir();
  });
  afterAll(async () => dir?.cleanup());

  it('gives the same tree when run twice into a temporary root, and keeps the operator config', async () => {
    const root = join(dir.path, 'root');
    await run('bash', [script, '--root', root], { cwd: dir.path });
    const first = await tree(root);
    await run('bash', [script, '--root', root], { cwd: dir.path });
    expect(await tree(root)).toEqual(first);

    for (const path of [
      'usr/local/bin/mcp 755',
      'usr/local/bin/mcp-agent 755',
      'usr/local/libexec/mcp/mcp-alert 755',
      'etc/mcp/mcp-agent.toml 640',
      'etc/mcp/mcp-agent.toml.example 644',
      'etc/mcp/mcp.toml.example 644',
      'etc/systemd/system/mcp-agent.service 644',
      'etc/systemd/system/mcp-backup.service 644',
      'etc/systemd/system/mcp-backup.timer 644',
      'usr/local/lib/mcp/docs/mcp-runbook.md 644',
    ]) {
      expect(first.some((line) => line.startsWith(`${path} `))).toBe(true);
    }
    expect(first).toContain('var/lib/mcp/ 700');
    expect(first).toContain('var/lib/mcp/backups/ 700');
    expect(first).toContain('etc/mcp/ 750');

    const { stdout } = await run(process.execPath, [
      join(root, 'usr/local/lib/mcp/bin/mcp-agent.js'),
      '--version',
    ]);
    expect(stdout.trim()).toBe('0.1.0');
    const launcher = await readFile(join(root, 'usr/local/bin/mcp'), 'utf8');
    expect(launcher).toContain('/usr/local/lib/mcp/bin/mcp.js "$@"');

    await writeFile(join(root, 'etc/mcp/mcp-agent.toml'), '# mine\n');
    await run('bash', [script, '--root', root], { cwd: dir.path });
    expect(await readFile(join(root, 'etc/mcp/mcp-agent.toml'), 'utf8')).toBe('# mine\n');
  });

  it('installs units that run the agent and a daily 02:00 UTC snapshot with jitter', async () => {
    const units = join(repo, 'deploy', 'systemd');
    const agent = await readFile(join(units, 'mcp-agent.service'), 'utf8');
    expect(agent).toContain('ExecStart=/usr/local/bin/mcp-agent server --config /etc/mcp/mcp-agent.toml');
    const backup = await readFile(join(units, 'mcp-backup.service'), 'utf8');
    expect(backup).toContain('ExecStart=/usr/local/bin/mcp-agent snapshot --config /etc/mcp/mcp-agent.toml');
    const timer = await readFile(join(units, 'mcp-backup.timer'), 'utf8');
    expect(timer).toContain('OnCalendar=*-*-* 02:00:00 UTC');
    expect(timer).toMatch(/RandomizedDelaySec=\S+/);
    expect(timer).toContain('Persistent=true');
  });

  it('ships example configs and a wikibot service definition that load', async () => {
    const agent = await loadAgentConfig(join(repo, 'deploy/mcp/mcp-agent.toml'), {});
    expect(agent.monitor.alertCommand).toEqual(['/usr/local/libexec/mcp/mcp-alert']);
    const cli = await loadCliConfig(join(repo, 'deploy/mcp/mcp.toml'), {});
    expect(cli.nodes).toEqual([]);
    const {
      defs: [wikibot],
      problems,
    } = await loadAll(join(repo, 'deploy/mcp-services'));
    expect(problems).toEqual([]);
    expect(wikibot?.name).toBe('wikibot');
    expect(wikibot?.components[0]?.env).toContain('WIKIBOT_HOST=0.0.0.0');
  });
});
