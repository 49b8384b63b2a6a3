import { escapeHtml } from '../../domain/markdown/escape-html.js';
import type { Wiki } from '../../wiki/wiki.js';
import { buildTree, isOnPath, MAX_CHILDREN, type TreeNode } from './tree.js';
import { pageUrl, wikiPageUrl } from './urls.js';

/** The sidebar of each wiki, rebuilt only when the wiki has changed (its version moved). */
export class SidebarCache {
  private readonly sidebars = new Map<string, { version: string | null; sidebar: Sidebar }>();

  async sidebar(wiki: Wiki): Promise<Sidebar> {
    const version = await wiki.version();
    const known = this.sidebars.get(wiki.slug);
    if (known && known.version === version) return known.sidebar;
    const { pages } = await wiki.listPages();
    const sidebar = new Sidebar(wiki.slug, buildTree(pages));
    this.sidebars.set(wiki.slug, { version, sidebar });
    return sidebar;
  }
}

/**
 * The sidebar's HTML for one version of a wiki's page tree. Folders open in place (no JavaScript
 * needed), the ones holding the current page already open. A closed folder holds one level only, its
 * subfolders linking to their page lists, so the tree in every page stays small however deep the wiki
 * is. What does not depend on the current page (every closed folder) is built once and reused, so a
 * page view only assembles strings along the current page's path.
 */
export class Sidebar {
  /** The `<li>` of a node off the current page's path (the same for every page). */
  private readonly offPath = new Map<TreeNode, string>();

  constructor(
    private readonly slug: string,
    private readonly nodes: TreeNode[],
  ) {}

  html(current: string | null): string {
    const lower = current?.toLowerCase() ?? null;
    return `<nav class="sidebar" id="pages" aria-label="Pages"><h2>Pages</h2>${this.list(this.nodes, lower, false)}</nav>`;
  }

  private list(nodes: TreeNode[], current: string | null, closed: boolean): string {
    const shown = nodes.slice(0, MAX_CHILDREN);
    let html = '<ul class="tree">';
    for (const node of shown) {
      html +=
        !closed && isOnPath(node, current) ? this.openItem(node, current) : this.closedItem(node, closed);
    }
    if (nodes.length > shown.length) {
      const first = nodes[0] as TreeNode;
      const prefix = first.path.includes('/') ? `${first.path.slice(0, first.path.lastIndexOf('/'))}/` : '';
      const href = wikiPageUrl(this.slug, 'index', prefix ? { prefix } : undefined);
      html += `<li class="more"><a href="${escapeHtml(href)}">${nodes.length - shown.length} more…</a></li>`;
    }
    return `${html}</ul>`;
  }

  /** A node that is the current page or holds it. */
  private openItem(node: TreeNode, current: string | null): string {
    const isCurrent = node.path.toLowerCase() === current;
    const label = this.label(node, false, isCurrent);
    if (node.children.length === 0) return `<li>${label}</li>`;
    return `<li><details open=""><summary>${label}</summary>${this.list(node.children, current, false)}</details></li>`;
  }

  /** A node off the current page's path, in an open list or (`closed`) in a closed folder's. */
  private closedItem(node: TreeNode, closed: boolean): string {
    if (closed || node.children.length === 0) return `<li>${this.label(node, closed, false)}</li>`;
    let html = this.offPath.get(node);
    if (html === undefined) {
      html = `<li><details><summary>${this.label(node, false, false)}</summary>${this.list(node.children, null, true)}</details></li>`;
      this.offPath.set(node, html);
    }
    return html;
  }

  private label(node: TreeNode, closed: boolean, isCurrent: boolean): string {
    const href = escapeHtml(pageUrl(this.slug, node.path));
    const text = escapeHtml(node.label);
    if (node.isPage) return `<a href="${href}"${isCurrent ? ' aria-current="page"' : ''}>${text}</a>`;
    if (closed) return `<a class="folder" href="${href}">${text}/</a>`;
    return `<span class="folder">${text}/</span>`;
  }
}
