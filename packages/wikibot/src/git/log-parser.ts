import type { CommitWithFiles } from './types.js';

/**
 * `git log -z` format for `LogParser`. Each record starts with `/` (no path in a tree can), the fields
 * are NUL-terminated, and with `--name-only` the paths follow: the first prefixed with a newline,
 * each NUL-terminated.
 */
export const LOG_FORMAT = '--format=/%H%x00%an%x00%ae%x00%aI%x00%B';
const HEADER_FIELDS = 5;

/** Parses `git log -z LOG_FORMAT [--name-only]` output incrementally, chunk by chunk. */
export class LogParser {
  readonly commits: CommitWithFiles[] = [];
  private rest: Buffer = Buffer.alloc(0);
  private header: string[] = [];
  private current: CommitWithFiles | undefined;
  private expectingFirstFile = false;

  push(chunk: Buffer): void {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nul = data.indexOf(0, start); nul >= 0; nul = data.indexOf(0, start)) {
      this.token(data.toString('utf8', start, nul));
      start = nul + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
  }

  end(): CommitWithFiles[] {
    if (this.rest.length > 0 || this.header.length > 0) throw new Error('git log output ended mid-record');
    return this.commits;
  }

  private token(token: string): void {
    if (this.current && this.header.length === 0 && !token.startsWith('/')) {
      const path = this.expectingFirstFile && token.startsWith('\n') ? token.slice(1) : token;
      this.current.files.push(path);
      this.expectingFirstFile = false;
      return;
    }
    if (this.header.length === 0 && !token.startsWith('/')) {
      throw new Error(`unexpected git log output: ${JSON.stringify(token.slice(0, 80))}`);
    }
    this.header.push(token);
    if (this.header.length < HEADER_FIELDS) return;
    const [sha, authorName, authorEmail, date, message] = this.header as [
      string,
      string,
      string,
      string,
      string,
    ];
    this.current = {
      sha: sha.slice(1),
      authorName,
      authorEmail,
      date,
      message: message.replace(/\n+$/, ''),
      files: [],
    };
    this.commits.push(this.current);
    this.header = [];
    this.expectingFirstFile = true;
  }
}
