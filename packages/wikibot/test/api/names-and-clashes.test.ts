import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, failure } from '../mcp/support.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let writer: string;

beforeAll(async () => {
  server = await startTestServer();
  writer = await server.token(['wiki:read', 'wiki:write']);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

const encode = (path: string) => path.split('/').map(encodeURIComponent).join('/');
const put = (path: string, body: Record<string, unknown>) =>
  server.call('PUT', `/w/main/api/v1/pages/${encode(path)}`, { token: writer, body });
const attach = (page: string, filename: string) =>
  server.call('POST', `/w/main/api/v1/pages/${encode(page)}/attachments`, {
    token: writer,
    body: { filename, content: Buffer.from('data').toString('base64') },
  });

/** Every file in the repository's main branch, as git lists it. */
async function gitFiles(): Promise<string[]> {
  const repo = join(server.dataDir, 'wikis', 'main', 'repo.git');
  const { stdout } = await promisify(execFile)('git', [
    '-C',
    repo,
    'ls-tree',
    '-r',
    '-z',
    '--name-only',
    'main',
  ]);
  return stdout.split('\0').filter(Boolean);
}

async function tip(): Promise<string> {
  const repo = join(server.dataDir, 'wikis', 'main', 'repo.git');
  return (await promisify(execFile)('git', ['-C', repo, 'rev-parse', 'main'])).stdout.trim();
}

describe('page and attachment names', () => {
  it('are Unicode NFC: "Café" typed two ways is one page', async () => {
    const decomposed = 'Cafe\u0301';
    const created = await put(decomposed, { content: 'one' });
    expect(created.status).toBe(201);
    expect(created.json.path).toBe('Café');
    const updated = await put('Café', { content: 'two', revision: created.json.revision });
    expect(updated.status).toBe(200);
    expect(updated.json.created).toBe(false);
    expect((await gitFiles()).filter((f) => f.normalize('NFC') === 'Café.md')).toEqual(['Café.md']);

    const uploaded = await attach('Café', 'Re\u0301sume\u0301.txt');
    expect(uploaded.json.filename).toBe('Résumé.txt');
    const read = await server.call(
      'GET',
      `/w/main/api/v1/pages/Caf%C3%A9/attachments/${encode('Résumé.txt')}`,
      {
        token: writer,
      },
    );
    expect(read.status).toBe(200);
  });

  it('trim white space around each segment, and refuse a name of only spaces', async () => {
    const created = await put(' Trimmed / Day 1 ', { content: 'x' });
    expect(created.status).toBe(201);
    expect(created.json.path).toBe('Trimmed/Day 1');
    expect(await gitFiles()).toContain('Trimmed/Day 1.md');

    const blank = await put('   ', { content: 'x' });
    expect(blank.status).toBe(422);
    expect(blank.json.error).toBe('Invalid page path: the name is only white space');
    const blankSegment = await put('Notes/  /Day', { content: 'x' });
    expect(blankSegment.status).toBe(422);
    expect(blankSegment.json.error).toBe("Invalid page path: segment '  ' is only white space");
    const blankFile = await attach('Trimmed/Day 1', '   ');
    expect(blankFile.status).toBe(422);
    expect(blankFile.json.error).toBe('Invalid attachment filename: the name is only white space');
    expect((await attach('Trimmed/Day 1', ' notes.txt ')).json.filename).toBe('notes.txt');
  });

  it('go into an existing folder spelled another way: folders differing only in case cannot coexist', async () => {
    expect((await put('PathProbe/One', { content: 'x' })).status).toBe(201);
    const second = await put('PATHPROBE/Two', { content: 'x' });
    expect(second.status).toBe(201);
    expect(second.json.path).toBe('PathProbe/Two');
    const nested = await put('pathprobe/Deep/Three', { content: 'x' });
    expect(nested.json.path).toBe('PathProbe/Deep/Three');
    const folders = new Set(
      (await gitFiles()).map((f) => f.split('/')[0]!).filter((f) => /^pathprobe$/i.test(f)),
    );
    expect([...folders]).toEqual(['PathProbe']);
  });

  it('a rename that changes only case keeps the new spelling of the name, in the existing folders', async () => {
    const res = await server.call('POST', '/w/main/api/v1/pages/PathProbe/One/rename', {
      token: writer,
      body: { new_path: 'PATHPROBE/ONE' },
    });
    expect(res.status).toBe(200);
    expect(res.json.new_path).toBe('PathProbe/ONE');
    const files = await gitFiles();
    expect(files).toContain('PathProbe/ONE.md');
    expect(files.filter((f) => /^pathprobe\//i.test(f) && !f.startsWith('PathProbe/'))).toEqual([]);
  });
});

describe('a file where a folder must go, or the reverse', () => {
  beforeAll(async () => {
    await put('Col', { content: 'collection' });
    await put('Col/Sub/X', { content: 'below' });
    await put('Loose', { content: 'to be renamed' });
    expect((await attach('Col', 'B')).status).toBe(201);
  });

  it('a page below an attachment is refused with 422 naming the clash, nothing written', async () => {
    const before = await tip();
    for (const path of ['Col/B/C', 'col/b/C']) {
      const res = await put(path, { content: 'x' });
      expect(res.status, path).toBe(422);
      expect(res.json.error).toMatch(
        /^Path clash: "Col\/B" is a file, so ".*C\.md" cannot be stored below it/,
      );
    }
    expect(await tip()).toBe(before);
  });

  it('an attachment named after an existing folder is refused', async () => {
    const before = await tip();
    const res = await attach('Col', 'Sub');
    expect(res.status).toBe(422);
    expect(res.json.error).toMatch(/^Path clash: "Col\/Sub" is a folder holding other files/);
    expect(await tip()).toBe(before);
  });

  it('renaming a page below a file is refused', async () => {
    const before = await tip();
    const res = await server.call('POST', '/w/main/api/v1/pages/Loose/rename', {
      token: writer,
      body: { new_path: 'Col/B/Loose' },
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatch(/^Path clash: "Col\/B" is a file/);
    expect(await tip()).toBe(before);
  });

  it('the same clash over MCP is a tool error naming it', async () => {
    const client = await connect(server, 'modern', writer);
    try {
      const text = await failure(client, 'write_note', { path: 'Col/B/Mcp', content: 'x' });
      expect(text).toMatch(/^Invalid request: Path clash: "Col\/B" is a file/);
    } finally {
      await client.close();
    }
  });
});

describe('commit messages', () => {
  it('with NUL or another control character are refused over REST (422 naming it)', async () => {
    const before = await tip();
    for (const commit_message of ['a\u0000b', 'colour \u001b[31mred', 'bell\u0007']) {
      const res = await put('Messages', { content: 'x', commit_message });
      expect(res.status, JSON.stringify(commit_message)).toBe(422);
      expect(res.json.error).toBe(
        'commit message: NUL and control characters are not allowed (tab and line breaks are)',
      );
    }
    expect(await tip()).toBe(before);
    const multiline = await put('Messages', { content: 'x', commit_message: 'Title\n\n\tdetails' });
    expect(multiline.status).toBe(201);
  });

  it('with NUL are refused over MCP', async () => {
    const client = await connect(server, 'modern', writer);
    try {
      const text = await failure(client, 'write_note', {
        path: 'McpMessage',
        content: 'x',
        commit_message: 'nul\u0000here',
      });
      expect(text).toMatch(/^Invalid request: commit message: NUL and control characters are not allowed/);
      await call(client, 'write_note', { path: 'McpMessage', content: 'x', commit_message: 'fine' });
    } finally {
      await client.close();
    }
  });
});
