import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../src/config/cli.js';
import { type OperatorPlane, startOperatorPlane } from '../helpers/cli.js';

// These tests run the built CLI (`npm run build` first), as a user does.
const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repo, 'packages', 'mcp', 'bin', 'mcp.js');

/** Runs `mcp …args` with the reading end of its stdout closed before it writes anything. */
function runWithClosedStdout(
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** The shell lines of the "On your workstation" block of a quick start, comments removed. */
async function workstationLines(file: string): Promise<string[]> {
  const text = await readFile(join(repo, file), 'utf8');
  const start = text.indexOf('On your workstation:');
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(start))?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe('the built mcp CLI', () => {
  let setup: OperatorPlane;

  beforeAll(async () => {
    setup = await startOperatorPlane();
  });

  afterAll(async () => {
    await setup?.close();
  });

  it('exits quietly when its stdout closes early (mcp status | head -1)', async () => {
    const env = { ...process.env, ...setup.plane.env };
    for (const args of [['status'], ['--json', 'list'], ['--help']]) {
      const result = await runWithClosedStdout(env, args);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
    }
  });

  for (const file of ['README.md', 'docs/mcp-quickstart.md']) {
    it(`runs the workstation set-up of ${file} as written against the shipped mcp.toml`, async () => {
      const home = join(setup.dir, file.replace(/\W/g, '-'));
      const env = { PATH: process.env.PATH, HOME: home };
      const lines = await workstationLines(file);
      const toNodeAdd = lines.slice(0, lines.findIndex((line) => line.startsWith('mcp node add')) + 1);
      expect(toNodeAdd).toEqual([
        'mkdir -p ~/.config/mcp/services',
        'cp deploy/mcp/mcp.toml ~/.config/mcp/mcp.toml',
        'scp node1.example.net:/etc/mcp/tls/agent.pem ~/.config/mcp/agents-ca.pem',
        'mcp node add node1 node1.example.net:9444',
      ]);
      for (const line of toNodeAdd) {
        if (line.startsWith('scp ')) continue; // needs the node; the CA file is only read when connecting
        const [command = '', ...args] = line.startsWith('mcp ')
          ? [process.execPath, bin, ...line.split(' ').slice(1)]
          : ['sh', '-c', line];
        const result = await run(command, args, { cwd: repo, env }).catch((error: Error) => error);
        expect(result, line).not.toBeInstanceOf(Error);
      }
      const config = await loadCliConfig(join(home, '.config', 'mcp', 'mcp.toml'), {});
      expect(config.nodes).toEqual([{ name: 'node1', address: 'node1.example.net:9444' }]);
    });
  }
});
