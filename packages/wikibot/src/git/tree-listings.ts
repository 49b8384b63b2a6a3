import { GITLINK_MODE, isTreeMode } from './tree-codec.js';
import type { TreeChange, TreeEntry } from './types.js';

function nulSeparated(output: Buffer): string[] {
  const fields = output.toString('utf8').split('\0');
  if (fields.at(-1) === '') fields.pop();
  return fields;
}

/** Blobs of `git ls-tree -r -l -z`: `<mode> <type> <id> <padded size>\t<path>` records. */
export function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of nulSeparated(output)) {
    const tab = record.indexOf('\t');
    if (tab < 0) throw new Error('unexpected git ls-tree output');
    const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
    if (!mode || !sha || !size) throw new Error('unexpected git ls-tree output');
    if (type !== 'blob') continue;
    entries.push({ path: record.slice(tab + 1), mode, type, sha, size: Number(size) });
  }
  return entries;
}

const isBlobMode = (mode: string) => mode !== '000000' && mode !== GITLINK_MODE && !isTreeMode(mode);

/**
 * Blob changes of `git diff-tree -r -z --no-renames`: `:<old mode> <new mode> <old id> <new id> <status>`
 * then the path. Submodule entries are not files: a blob replaced by one reads as a deletion.
 */
export function parseDiffTree(output: Buffer): TreeChange[] {
  const changes: TreeChange[] = [];
  const fields = nulSeparated(output);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, , newSha, status] = fields[i]!.slice(1).split(' ');
    const path = fields[i + 1]!;
    if (!oldMode || !newMode || !newSha || !status) throw new Error('unexpected git diff-tree output');
    const before = isBlobMode(oldMode);
    const after = isBlobMode(newMode);
    if (!before && !after) continue;
    changes.push({
      status: before && after ? (status as TreeChange['status']) : after ? 'A' : 'D',
      path,
      sha: after ? newSha : null,
    });
  }
  return changes;
}
