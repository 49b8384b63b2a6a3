/** The sidebar's page tree: folders (path prefixes) and pages, from the wiki's page list. */
export interface TreeNode {
  /** The segment as written, or the page's display name for pages. */
  label: string;
  path: string;
  isPage: boolean;
  children: TreeNode[];
}

export interface TreeView {
  nodes: TreeNode[];
  /** The page being shown: its ancestors are expanded, it is marked current. */
  current: string | null;
}

/** Children shown per folder; the rest are reachable from the A–Z index. */
export const MAX_CHILDREN = 60;

export function buildTree(pages: readonly { path: string; name: string }[]): TreeNode[] {
  const root: TreeNode = { label: '', path: '', isPage: false, children: [] };
  const folders = new Map<string, TreeNode>([['', root]]);
  const nodeFor = (path: string): TreeNode => {
    const key = path.toLowerCase();
    let node = folders.get(key);
    if (node) return node;
    const slash = path.lastIndexOf('/');
    const parent = nodeFor(slash < 0 ? '' : path.slice(0, slash));
    node = { label: path.slice(slash + 1), path, isPage: false, children: [] };
    parent.children.push(node);
    folders.set(key, node);
    return node;
  };
  for (const page of pages) {
    const node = nodeFor(page.path);
    node.isPage = true;
    node.label = page.name || node.label;
  }
  sortTree(root);
  return root.children;
}

function sortTree(node: TreeNode): void {
  node.children.sort((a, b) =>
    a.label.localeCompare(b.label, undefined, { sensitivity: 'base', numeric: true }),
  );
  for (const child of node.children) sortTree(child);
}

/** Is `node` the current page or one of its ancestors (case-insensitively)? */
export function isOnPath(node: TreeNode, current: string | null): boolean {
  if (current === null) return false;
  const a = node.path.toLowerCase();
  const b = current.toLowerCase();
  return a === b || b.startsWith(`${a}/`);
}
