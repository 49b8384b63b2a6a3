import type { FileChange } from '../git/types.js';

/** The files at the tip a change lands on, looked up case-insensitively (as the index does). */
export interface TreeView {
  file(path: string): { path: string } | undefined;
  /** Up to `limit` files below `folder`, at any depth. */
  filesUnder(folder: string, limit: number): { path: string }[];
}

/**
 * Why a set of changes cannot be stored as a git tree, or null when it can: a file written where a
 * folder must go ("Col/B/C.md" while "Col/B" is an attachment) or a folder where a file goes (an
 * attachment "Col/Sub" while "Col/Sub/" holds pages). Paths are compared without regard to case, so
 * the tree also checks out on case-insensitive file systems. The state checked is the one after the
 * change: its own deletions and writes count.
 */
export function pathClash(changes: readonly FileChange[], tree: TreeView): string | null {
  const key = (path: string) => path.toLowerCase();
  const deleted = new Set(changes.filter((c) => c.content === null).map((c) => key(c.path)));
  const written = changes.filter((c) => c.content !== null).map((c) => c.path);
  const writtenFiles = new Set(written.map(key));
  const writtenFolders = new Set(written.flatMap((path) => folders(key(path))));

  /** The file at `path` after the change, as spelled in the tree. */
  const fileAt = (path: string): string | undefined => {
    if (writtenFiles.has(key(path))) return path;
    const existing = tree.file(path);
    return existing && !deleted.has(key(existing.path)) ? existing.path : undefined;
  };
  const isFolder = (path: string) => {
    if (writtenFolders.has(key(path))) return true;
    const [first] = tree.filesUnder(path, 1);
    if (!first) return false;
    if (!deleted.has(key(first.path))) return true;
    const prefix = `${key(path)}/`;
    let removed = 0;
    for (const gone of deleted) if (gone.startsWith(prefix)) removed++;
    // One more than the deletions below it: if any of those survives the change, the folder does.
    return tree.filesUnder(path, removed + 1).some((f) => !deleted.has(key(f.path)));
  };

  for (const path of written) {
    for (const folder of folders(path)) {
      const file = fileAt(folder);
      if (file !== undefined) {
        return `Path clash: "${file}" is a file, so "${path}" cannot be stored below it. Choose another name.`;
      }
    }
    if (isFolder(path)) {
      return `Path clash: "${path}" is a folder holding other files, so it cannot also be a file. Choose another name.`;
    }
  }
  return null;
}

/** "A/B/c.png" → ["A", "A/B"]. */
function folders(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join('/'));
}
