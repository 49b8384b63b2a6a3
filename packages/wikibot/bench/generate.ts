import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { pageContent, pagePath, Random } from './corpus.js';

/**
 * Build a bare repository with `pages` pages and one commit per page, streamed through
 * `git fast-import` (history depth is what makes naive designs slow, so it must be real).
 */
export async function generateRepository(dir: string, pages: number, seed = 42): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await run('git', ['init', '--quiet', '--bare', '-b', 'main', dir]);
  const child = spawn('git', ['-C', dir, 'fast-import', '--quiet'], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const done = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))),
  );
  const random = new Random(seed);
  const start = 1_700_000_000;
  for (let i = 0; i < pages; i++) {
    const content = Buffer.from(pageContent(i, pages, random));
    const message = Buffer.from(`Create ${pagePath(i)}`);
    const header =
      `commit refs/heads/main\nmark :${i + 1}\n` +
      `author Bench <bench@example.com> ${start + i * 60} +0000\n` +
      `committer Bench <bench@example.com> ${start + i * 60} +0000\n` +
      `data ${message.length}\n${message}\n` +
      (i > 0 ? `from :${i}\n` : '') +
      `M 100644 inline ${pagePath(i)}.md\ndata ${content.length}\n`;
    if (!child.stdin.write(header)) await new Promise((r) => child.stdin.once('drain', r));
    child.stdin.write(content);
    child.stdin.write('\n');
  }
  child.stdin.end();
  await done;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
  });
}
