/** A file's changes between two commits, as lines grouped in hunks (what the web UI shows). */
export interface FileDiff {
  /** Repository path of the file, e.g. "Foo/Bar.md" or "Foo/Bar/chart.png". */
  file: string;
  /** The page the file is (its path without ".md"), or null for attachments. */
  page: string | null;
  status: 'added' | 'deleted' | 'modified';
  /** True when git reports a binary change: there are no lines to show. */
  binary: boolean;
  hunks: DiffHunk[];
}

export interface DiffHunk {
  /** The `@@ -a,b +c,d @@ context` line. */
  header: string;
  lines: DiffLine[];
}

export interface DiffLine {
  kind: 'context' | 'added' | 'removed';
  text: string;
  /** Line number before the change (null for added lines). */
  oldNumber: number | null;
  /** Line number after the change (null for removed lines). */
  newNumber: number | null;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * A unified diff of one file (`git diff-tree -p` output): whether it was added or deleted, and its hunks.
 * The caller knows which file it asked about, so file names in the headers are not read.
 */
export function parseUnifiedDiff(text: string): Pick<FileDiff, 'status' | 'binary' | 'hunks'> {
  const hunks: DiffHunk[] = [];
  let binary = false;
  let status: FileDiff['status'] = 'modified';
  let hunk: DiffHunk | null = null;
  let oldLine = 0;
  let newLine = 0;
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  for (const row of rows) {
    const header = HUNK_HEADER.exec(row);
    if (header) {
      hunk = { header: row, lines: [] };
      hunks.push(hunk);
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      continue;
    }
    if (hunk === null) {
      if (row.startsWith('Binary files ') || row === 'GIT binary patch') binary = true;
      else if (row.startsWith('new file mode')) status = 'added';
      else if (row.startsWith('deleted file mode')) status = 'deleted';
      continue;
    }
    const marker = row[0];
    const content = row.slice(1);
    if (marker === '\\') continue; // "\ No newline at end of file"
    if (marker === '+')
      hunk.lines.push({ kind: 'added', text: content, oldNumber: null, newNumber: newLine++ });
    else if (marker === '-')
      hunk.lines.push({ kind: 'removed', text: content, oldNumber: oldLine++, newNumber: null });
    else if (marker === ' ' || row === '') {
      hunk.lines.push({ kind: 'context', text: content, oldNumber: oldLine++, newNumber: newLine++ });
    } else hunk = null; // another file's header: never expected, one file per diff
  }
  return { status, binary, hunks };
}
