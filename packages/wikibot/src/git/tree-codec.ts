/**
 * One entry of a tree object. `name` holds the raw bytes of the name as a latin1 string, so names
 * that are not valid UTF-8 (old repositories) are written back unchanged.
 */
export interface TreeItem {
  mode: string;
  name: string;
  sha: string;
}

export const TREE_MODE = '40000';
export const GITLINK_MODE = '160000';

export function isTreeMode(mode: string): boolean {
  return mode === TREE_MODE || mode === '040000';
}

/** A path segment as a `TreeItem` name: its UTF-8 bytes as a latin1 string. */
export function itemName(segment: string): string {
  return Buffer.from(segment, 'utf8').toString('latin1');
}

/** A `TreeItem` name as text. */
export function displayName(name: string): string {
  return Buffer.from(name, 'latin1').toString('utf8');
}

/** Parses a raw tree object: repeated `<mode> <name>\0<binary id>`. */
export function parseTree(content: Buffer, idBytes: number): TreeItem[] {
  const items: TreeItem[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + idBytes > content.length) throw new Error('malformed tree object');
    items.push({
      mode: content.toString('latin1', at, space),
      name: content.toString('latin1', space + 1, nul),
      sha: content.toString('hex', nul + 1, nul + 1 + idBytes),
    });
    at = nul + 1 + idBytes;
  }
  return items;
}

/**
 * A raw tree object: `<mode> <name>\0<binary id>` per item, in git's order (names compared as bytes,
 * a subtree's as if it ended in "/"). `git fsck` checks both.
 */
export function encodeTree(items: Iterable<TreeItem>): Buffer {
  const sortKey = (item: TreeItem) => (isTreeMode(item.mode) ? `${item.name}/` : item.name);
  const sorted = [...items].map((item) => ({ item, key: sortKey(item) }));
  // Names are latin1 strings of their bytes, so comparing code units compares bytes.
  sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const parts: Buffer[] = [];
  for (const { item } of sorted) {
    const mode = isTreeMode(item.mode) ? TREE_MODE : item.mode;
    parts.push(Buffer.from(`${mode} ${item.name}\0`, 'latin1'), Buffer.from(item.sha, 'hex'));
  }
  return Buffer.concat(parts);
}
