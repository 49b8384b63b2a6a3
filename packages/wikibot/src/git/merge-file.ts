import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './run-git.js';

/** The three texts of a three-way merge: the common ancestor and the two edits made from it. */
export interface MergeSides {
  base: string;
  /** The version already saved. */
  theirs: string;
  /** The version being saved now. */
  mine: string;
}

/** How each side is named on the conflict marker lines. */
export interface MergeLabels {
  mine: string;
  base: string;
  theirs: string;
}

export interface MergedText {
  /** The merge; overlapping changes appear between `<<<<<<<`, `=======` and `>>>>>>>` lines. */
  text: string;
  /** How many overlapping changes could not be merged (0 for a clean merge). */
  conflicts: number;
}

/**
 * Three-way merge of text with `git merge-file`: changes from base to theirs are applied to mine. The
 * sides go through a private temporary folder (merge-file reads only files), never a shell.
 */
export async function mergeFile(gitDir: string, sides: MergeSides, labels: MergeLabels): Promise<MergedText> {
  const dir = await mkdtemp(join(tmpdir(), 'wikibot-merge-'));
  try {
    const files = { mine: join(dir, 'mine'), base: join(dir, 'base'), theirs: join(dir, 'theirs') };
    await Promise.all([
      writeFile(files.mine, sides.mine),
      writeFile(files.base, sides.base),
      writeFile(files.theirs, sides.theirs),
    ]);
    const conflicts: number[] = [];
    const out = await runGit(
      gitDir,
      [
        'merge-file',
        '-p',
        '-q',
        '-L',
        labels.mine,
        '-L',
        labels.base,
        '-L',
        labels.theirs,
        '--',
        files.mine,
        files.base,
        files.theirs,
      ],
      // The exit status is the number of conflicts (capped at 127); negative (255) is an error.
      { okExitCodes: CONFLICT_COUNTS, onExit: (code) => conflicts.push(code) },
    );
    return { text: out.toString('utf8'), conflicts: conflicts[0] ?? 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const CONFLICT_COUNTS = Array.from({ length: 127 }, (_, i) => i + 1);
