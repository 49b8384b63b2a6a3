import { GitInputError } from './errors.js';
import type { TreeEntries } from './tree-cache.js';
import { displayName, isTreeMode, itemName, TREE_MODE, type TreeItem } from './tree-codec.js';
import { pathSegments } from './validation.js';

/** Where trees come from and go to (cat-file and mktree in the repository). */
export interface TreeStore {
  readTree(sha: string): Promise<TreeEntries>;
  /** `entries` is handed over: the builder does not touch it afterwards. */
  writeTree(entries: Map<string, TreeItem>): Promise<string>;
}

/** A file change whose blob is already written; `blob: null` deletes the file. */
export interface BlobChange {
  path: string;
  blob: string | null;
}

/** Changes inside one directory, keyed by `TreeItem` names. */
interface DirectoryChanges {
  path: string;
  writes: Map<string, string>;
  deletes: Set<string>;
  directories: Map<string, DirectoryChanges>;
}

const REGULAR_MODE = '100644';
const EXECUTABLE_MODE = '100755';

const childPath = (dir: string, name: string): string =>
  dir === '' ? displayName(name) : `${dir}/${displayName(name)}`;

/**
 * The root tree of `base` with `changes` applied. Only directories on a changed path are read and
 * written again (siblings are written in parallel); directories left empty disappear. An executable
 * file keeps its mode when rewritten.
 */
export async function buildTree(
  store: TreeStore,
  base: string | null,
  changes: readonly BlobChange[],
): Promise<string> {
  const root = groupByDirectory(changes);
  const tree = await applyChanges(store, base, root);
  return tree ?? store.writeTree(new Map());
}

function groupByDirectory(changes: readonly BlobChange[]): DirectoryChanges {
  const root = emptyDirectory('');
  const seen = new Set<string>();
  for (const change of changes) {
    const segments = pathSegments(change.path);
    const normalized = segments.join('/');
    if (seen.has(normalized)) throw new GitInputError(`path ${JSON.stringify(normalized)} is changed twice`);
    seen.add(normalized);
    let dir = root;
    for (const segment of segments.slice(0, -1)) {
      const key = itemName(segment);
      let next = dir.directories.get(key);
      if (!next) {
        next = emptyDirectory(childPath(dir.path, key));
        dir.directories.set(key, next);
      }
      dir = next;
    }
    const name = itemName(segments.at(-1)!);
    if (change.blob === null) dir.deletes.add(name);
    else dir.writes.set(name, change.blob);
  }
  return root;
}

function emptyDirectory(path: string): DirectoryChanges {
  return { path, writes: new Map(), deletes: new Set(), directories: new Map() };
}

function hasWrites(dir: DirectoryChanges): boolean {
  return dir.writes.size > 0 || [...dir.directories.values()].some(hasWrites);
}

/** The new id of the directory `base` after `dir` is applied; null when it ends up empty. */
async function applyChanges(
  store: TreeStore,
  base: string | null,
  dir: DirectoryChanges,
): Promise<string | null> {
  const entries = new Map(base === null ? [] : await store.readTree(base));
  let changed = false;

  for (const name of dir.deletes) {
    const entry = entries.get(name);
    if (!entry) continue;
    if (isTreeMode(entry.mode)) {
      throw new GitInputError(
        `cannot delete ${JSON.stringify(childPath(dir.path, name))}: it is a directory`,
      );
    }
    entries.delete(name);
    changed = true;
  }

  const subtrees = await Promise.all(
    [...dir.directories].map(async ([name, sub]) => {
      const entry = entries.get(name);
      if (entry && !isTreeMode(entry.mode)) {
        if (hasWrites(sub)) {
          throw new GitInputError(
            `cannot write below ${JSON.stringify(childPath(dir.path, name))}: it is a file, not a directory`,
          );
        }
        return { name, tree: entry.sha }; // only deletions below a file: nothing there to delete
      }
      return { name, tree: await applyChanges(store, entry?.sha ?? null, sub) };
    }),
  );
  for (const { name, tree } of subtrees) {
    const entry = entries.get(name);
    if (tree === (entry?.sha ?? null)) continue;
    if (tree === null) entries.delete(name);
    else entries.set(name, { mode: TREE_MODE, name, sha: tree });
    changed = true;
  }

  for (const [name, blob] of dir.writes) {
    const entry = entries.get(name);
    if (entry && isTreeMode(entry.mode)) {
      throw new GitInputError(`cannot write ${JSON.stringify(childPath(dir.path, name))}: it is a directory`);
    }
    const mode = entry?.mode === EXECUTABLE_MODE ? EXECUTABLE_MODE : REGULAR_MODE;
    if (entry?.sha === blob && entry.mode === mode) continue;
    entries.set(name, { mode, name, sha: blob });
    changed = true;
  }

  if (!changed) return base;
  if (entries.size === 0) return null;
  return store.writeTree(entries);
}
