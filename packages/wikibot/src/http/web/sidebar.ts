import type { Wiki } from '../../wiki/wiki.js';
import { buildTree, type TreeNode } from './tree.js';

/** The page tree of each wiki, rebuilt only when the wiki has changed (its version moved). */
export class SidebarCache {
  private readonly trees = new Map<string, { version: string | null; nodes: TreeNode[] }>();

  async tree(wiki: Wiki): Promise<TreeNode[]> {
    const version = await wiki.version();
    const known = this.trees.get(wiki.slug);
    if (known && known.version === version) return known.nodes;
    const { pages } = await wiki.listPages();
    const nodes = buildTree(pages);
    this.trees.set(wiki.slug, { version, nodes });
    return nodes;
  }
}
