import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * What a pre-receive hook needs from git. These run inside the hook, in the environment receive-pack
 * gave it (the repository as working directory, the quarantined objects through GIT_* variables), so
 * they see the pushed objects before anything is published; that environment is kept, not cleaned.
 */

/** One ref a push wants to move, as receive-pack lists them on the hook's stdin. */
export interface RefUpdate {
  /** null: the ref is being created. */
  oldId: string | null;
  /** null: the ref is being deleted. */
  newId: string | null;
  ref: string;
}

/** A file a push adds or changes, as the new tip has it. */
export interface PushedFile {
  path: string;
  mode: string;
  /** Bytes; 0 for submodule entries, which have no blob. */
  size: number;
}

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const GITLINK_MODE = '160000';
const ZERO_ID = /^0+$/;

async function git(args: string[], input?: string): Promise<string> {
  const run = promisify(execFile)('git', ['-c', 'core.quotepath=off', ...args], {
    maxBuffer: MAX_OUTPUT_BYTES,
    encoding: 'utf8',
  });
  if (input !== undefined) run.child.stdin?.end(input);
  return (await run).stdout;
}

/** Parse the hook's stdin: `<old id> <new id> <ref>` per line. */
export function parseRefUpdates(text: string): RefUpdate[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [oldId = '', newId = '', ref = ''] = line.trim().split(' ');
      return { oldId: ZERO_ID.test(oldId) ? null : oldId, newId: ZERO_ID.test(newId) ? null : newId, ref };
    });
}

/** Whether `descendant` contains `ancestor` in its history (a fast-forward from it). */
export async function isAncestor(ancestor: string, descendant: string): Promise<boolean> {
  try {
    await git(['merge-base', '--is-ancestor', ancestor, descendant]);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 1) return false;
    throw error;
  }
}

/** Files that differ from `from` (null: nothing) in `to`'s tree, with their new mode and size; deletions left out. */
export async function changedFiles(from: string | null, to: string): Promise<PushedFile[]> {
  const entries: { path: string; mode: string; id: string }[] = [];
  if (from === null) {
    const fields = (await git(['ls-tree', '-r', '-z', '--full-tree', to])).split('\0');
    for (const record of fields.filter(Boolean)) {
      const tab = record.indexOf('\t');
      const [mode = '', , id = ''] = record.slice(0, tab).split(' ');
      entries.push({ path: record.slice(tab + 1), mode, id });
    }
  } else {
    const fields = (await git(['diff-tree', '-r', '-z', '--no-renames', from, to])).split('\0');
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [, mode = '', , id = '', status] = fields[i]!.slice(1).split(' ');
      if (status !== 'D') entries.push({ path: fields[i + 1]!, mode, id });
    }
  }
  const blobs = entries.filter((entry) => entry.mode !== GITLINK_MODE);
  const sizes =
    blobs.length === 0
      ? []
      : (await git(['cat-file', '--batch-check=%(objectsize)'], blobs.map((b) => `${b.id}\n`).join('')))
          .trim()
          .split('\n')
          .map(Number);
  const sizeOf = new Map(blobs.map((blob, i) => [blob.path, sizes[i] ?? 0]));
  return entries.map(({ path, mode }) => ({ path, mode, size: sizeOf.get(path) ?? 0 }));
}

/** Every file path in `commit`'s tree. */
export async function treeFiles(commit: string): Promise<string[]> {
  return (await git(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit]))
    .split('\0')
    .filter(Boolean);
}

/** Every file of `commit`'s tree with its size in bytes (0 for submodule entries). */
export async function treeFileSizes(commit: string): Promise<{ path: string; size: number }[]> {
  const records = (await git(['ls-tree', '-r', '-l', '-z', '--full-tree', commit])).split('\0');
  return records.filter(Boolean).map((record) => {
    const tab = record.indexOf('\t');
    const size = Number(record.slice(0, tab).trim().split(/\s+/)[3]);
    return { path: record.slice(tab + 1), size: Number.isFinite(size) ? size : 0 };
  });
}
