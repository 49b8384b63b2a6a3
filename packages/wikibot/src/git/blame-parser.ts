import { isoDate } from './commit-object.js';
import type { BlameLine } from './types.js';

const LINE_HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) \d+ (\d+)(?: \d+)?$/;

interface BlameCommit {
  authorName: string;
  seconds: number;
  zone: string;
}

/**
 * Parses `git blame --porcelain`: per line a `<sha> <orig> <final> [<count>]` header, the commit's
 * `key value` lines the first time that commit appears, then the content prefixed with a tab.
 */
export function parseBlamePorcelain(output: Buffer): BlameLine[] {
  const commits = new Map<string, BlameCommit>();
  const lines: BlameLine[] = [];
  let sha = '';
  let lineNumber = 0;
  const text = output.toString('utf8');
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  for (const row of rows) {
    if (row.startsWith('\t')) {
      const commit = commits.get(sha);
      lines.push({
        sha,
        authorName: commit?.authorName ?? '',
        date: isoDate(commit?.seconds ?? 0, commit?.zone ?? '+0000'),
        lineNumber,
        content: row.slice(1),
      });
      continue;
    }
    const header = LINE_HEADER.exec(row);
    if (header) {
      sha = header[1]!;
      lineNumber = Number(header[2]);
      if (!commits.has(sha)) commits.set(sha, { authorName: '', seconds: 0, zone: '+0000' });
      continue;
    }
    const commit = commits.get(sha);
    const space = row.indexOf(' ');
    const key = space < 0 ? row : row.slice(0, space);
    const value = space < 0 ? '' : row.slice(space + 1);
    if (!commit) continue;
    if (key === 'author') commit.authorName = value;
    else if (key === 'author-time') commit.seconds = Number(value) || 0;
    else if (key === 'author-tz') commit.zone = value;
  }
  return lines;
}
