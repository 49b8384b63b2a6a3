import { rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentGitProcess, readLines } from './persistent-process.js';
import { FULL_OBJECT_ID } from './validation.js';

/** Files staged and handed to git at once, well below any open-file limit. */
const STAGING_BATCH = 128;
/**
 * Up to this size a staging file is written synchronously: for page-sized content that costs tens of
 * microseconds, while the thread-pool round trips of async fs double the latency of a commit.
 */
const SYNC_WRITE_BYTES = 256 * 1024;

/**
 * Writes loose objects of one type through a long-lived `git hash-object -w --stdin-paths --no-filters`
 * (content is staged in a private temp directory, since that is how the process takes it), so a commit
 * spawns no hash-object. `--no-filters`: content is stored exactly as given, whatever the config says.
 */
export class ObjectWriter {
  private readonly process: PersistentGitProcess;
  private tempDir: Promise<string> | undefined;
  private counter = 0;

  constructor(gitDir: string, type: 'blob' | 'commit') {
    this.process = new PersistentGitProcess(
      gitDir,
      ['hash-object', '-t', type, '-w', '--no-filters', '--stdin-paths'],
      { retryOnExit: true },
    );
  }

  /** Writes every content as an object; returns their ids in order. */
  async write(contents: readonly Buffer[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < contents.length; i += STAGING_BATCH) {
      ids.push(...(await this.writeBatch(contents.slice(i, i + STAGING_BATCH))));
    }
    return ids;
  }

  async close(): Promise<void> {
    await this.process.close();
    if (this.tempDir) await rm(await this.tempDir, { recursive: true, force: true });
  }

  private async writeBatch(contents: readonly Buffer[]): Promise<string[]> {
    const dir = await this.stagingDirectory();
    const files = contents.map(() => join(dir, String(this.counter++)));
    try {
      await Promise.all(files.map((file, i) => stage(file, contents[i]!)));
      const input = files.map((file) => `${file}\n`).join('');
      const ids = await this.process.request(input, readLines(files.length));
      for (const id of ids) {
        if (!FULL_OBJECT_ID.test(id))
          throw new Error(`unexpected git hash-object output: ${JSON.stringify(id)}`);
      }
      return ids;
    } finally {
      for (const file of files) rmSync(file, { force: true });
    }
  }

  private stagingDirectory(): Promise<string> {
    this.tempDir ??= mkdtemp(join(tmpdir(), 'wikibot-git-')).catch((error: unknown) => {
      this.tempDir = undefined;
      throw error;
    });
    return this.tempDir;
  }
}

async function stage(file: string, content: Buffer): Promise<void> {
  if (content.length <= SYNC_WRITE_BYTES) writeFileSync(file, content);
  else await writeFile(file, content);
}
