import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addNode, removeNode } from '../../src/config/node-edit.js';
import { tempDir } from '../helpers/tmp.js';

const CONFIG = `# operator workstation config
[services]
dir = "~/mcp/services" # definitions live here

[auth]
token_path = "~/.config/mcp/token"

[[nodes]]
name = "alpha"   # the first box
address = "alpha.lan:9444"

[[nodes]]
name = "beta"
address = "beta.lan:9444"
`;

describe('node add/remove edit [[nodes]] and keep the config valid TOML', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let path: string;
  beforeEach(async () => {
    dir = await tempDir();
    path = join(dir.path, 'mcp.toml');
    await writeFile(path, CONFIG);
  });
  afterEach(async () => dir.cleanup());

  it('adds a node at the end, keeping comments, with mode 0600', async () => {
    await addNode(path, { name: 'gamma', address: 'gamma.lan:9444' });
    const text = await readFile(path, 'utf8');
    expect(text.startsWith(CONFIG)).toBe(true);
    expect(text).toContain('# the first box');
    expect((parse(text) as { nodes: unknown[] }).nodes).toEqual([
      { name: 'alpha', address: 'alpha.lan:9444' },
      { name: 'beta', address: 'beta.lan:9444' },
      { name: 'gamma', address: 'gamma.lan:9444' },
    ]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('removes exactly the named node and keeps the rest of the file', async () => {
    await removeNode(path, 'alpha');
    const text = await readFile(path, 'utf8');
    expect(text).toContain('# operator workstation config');
    expect(text).toContain('dir = "~/mcp/services" # definitions live here');
    expect(text).not.toContain('alpha');
    const doc = parse(text) as Record<string, unknown>;
    expect(doc.nodes).toEqual([{ name: 'beta', address: 'beta.lan:9444' }]);
    expect(doc.services).toEqual({ dir: '~/mcp/services' });
    await removeNode(path, 'beta');
    expect((parse(await readFile(path, 'utf8')) as Record<string, unknown>).nodes).toBeUndefined();
  });

  it('refuses duplicates, bad addresses and unknown names without touching the file', async () => {
    await expect(addNode(path, { name: 'alpha', address: 'x:1' })).rejects.toThrow(
      'node "alpha" already exists',
    );
    await expect(addNode(path, { name: 'delta', address: 'no-port' })).rejects.toThrow(
      /address must be host:port/,
    );
    await expect(removeNode(path, 'omega')).rejects.toThrow('no node named "omega"');
    expect(await readFile(path, 'utf8')).toBe(CONFIG);
  });

  it('falls back to rewriting the file when nodes are written inline', async () => {
    await writeFile(path, 'nodes = [{ name = "a", address = "a:1" }]\n[services]\ndir = "s"\n');
    await addNode(path, { name: 'b', address: 'b:2' });
    expect((parse(await readFile(path, 'utf8')) as Record<string, unknown>).nodes).toEqual([
      { name: 'a', address: 'a:1' },
      { name: 'b', address: 'b:2' },
    ]);
  });
});
