import { join } from 'node:path';
import { getMimeType } from 'hono/utils/mime';
import { parseFrontmatter } from '../domain/frontmatter.js';
import { parseInstant } from '../domain/instant.js';
import {
  attachmentNameProblem,
  displayName,
  normalizeAttachmentName,
  normalizePagePath,
  pageFileName,
  pagePathOfFile,
  pagePathProblem,
} from '../domain/pagePath.js';
import { rewriteWikiLinks, type WikiLinkStyle } from '../domain/wikilinks.js';
import { blobId } from '../git/objectId.js';
import type { GitRepository } from '../git/repository.js';
import { objectStoreBytes } from '../git/storeSize.js';
import type { CommitInfo, FileChange } from '../git/types.js';
import { writeSnapshot } from '../index/snapshot.js';
import type { IndexedPage, PageFilter, PageSummary, ProgressFn, WikiIndex } from '../index/wikiIndex.js';
import { BoundedCache } from './boundedCache.js';
import type { EmbeddingRuntime } from './embeddingRuntime.js';
import { Conflict, EditConflict, Invalid, NotFound, TooLarge, Unavailable } from './errors.js';
import { GitRemote } from './gitRemote.js';
import {
  type BlameBlock,
  blamePage,
  type CommitDetails,
  commitDetails,
  comparePage,
  type PageComparison,
  prepareRevert,
  type RevertResult,
  type WikiStorage,
} from './history.js';
import {
  deltaOf,
  figuresToCheck,
  hasLimits,
  limitProblems,
  type WikiLimits,
  type WikiUsage,
} from './limits.js';
import { checkCommitMessage, checkRevision, checkRevisionFormat, commitMessage } from './messages.js';
import { pageExistence, wikiVersion } from './navigation.js';
import { pathClash } from './pathClash.js';
import { Reindexer, type ReindexStatus } from './reindex.js';
import { checkQueryLength, type SearchAnswer, type SearchOptions, searchPages } from './search.js';
import { DEFAULT_SEARCH_LIMITS, type SearchLimits } from './searchLimits.js';
import { type SemanticHit, WikiSemantics } from './semantic.js';
import type {
  AttachmentInfo,
  ChangelogEntry,
  ChangeOptions,
  CommitSummary,
  PageRenderer,
  PageView,
  RenderedBody,
  WriteResult,
} from './types.js';
import { type CurrentPage, type PreparedChange, WritePipeline } from './writePipeline.js';

export interface WikiSettings {
  linkStyle: WikiLinkStyle;
  /** Largest page content accepted, in bytes. */
  maxPageBytes: number;
  /** Largest attachment accepted, in bytes. */
  maxAttachmentBytes: number;
  /** This process's embedding provider, shared by every wiki; without it semantic search is unavailable. */
  embeddings?: EmbeddingRuntime;
  /** What one search may cost (default DEFAULT_SEARCH_LIMITS). */
  search?: SearchLimits;
  /** What each wiki may hold (pages, bytes); none: unlimited. */
  limits?: (slug: string) => Promise<WikiLimits>;
  /** This process's page renderer and its cache, shared by every wiki; without it rendering is unavailable. */
  renderer?: PageRenderer;
}

export const DEFAULT_WIKI_SETTINGS: WikiSettings = {
  linkStyle: 'title-page',
  maxPageBytes: 1024 * 1024,
  maxAttachmentBytes: 10 * 1024 * 1024,
};

/** Text of recently read pages each wiki keeps, in characters: over a thousand pages of ~2 KB. */
const PAGE_VIEW_CHARS = 4 * 1024 * 1024;

/**
 * One wiki: every use case once. Reads of current pages come from the index (caught up with the
 * branch first); history, diff and blame from git; every write is one commit published with a
 * compare-and-swap, its preconditions re-checked against whatever tip it lands on.
 */
export class Wiki {
  /** This process's writes to the wiki, committed in chains; other processes are handled by the ref CAS. */
  private readonly writes: WritePipeline;
  private readonly reindexer: Reindexer;
  /** What the history use cases read (history.ts). */
  private readonly storage: WikiStorage;
  /** Current-page views by lowercased path, valid while the index is at the commit they were made at. */
  private readonly pageViews = new BoundedCache<string, { commit: string | null; view: PageView }>(
    PAGE_VIEW_CHARS,
    ({ view }) => view.content.length + view.body.length,
  );
  /** Semantic search, its background embedding worker and queue status. */
  readonly semantics: WikiSemantics;
  /** The repository as a git remote: clone, fetch, and pushes checked by the same rules as the API. */
  readonly gitRemote: GitRemote;
  /** The object store's bytes, measured once per branch tip. */
  private repoBytes: { tip: string | null; bytes: Promise<number> } | undefined;
  /** The attachments' count and bytes as of an index commit. */
  private attachments: { commit: string | null; count: number; bytes: number } | undefined;

  constructor(
    readonly slug: string,
    private readonly repo: GitRepository,
    private readonly index: WikiIndex,
    readonly settings: WikiSettings = DEFAULT_WIKI_SETTINGS,
  ) {
    this.storage = { repo, index };
    this.reindexer = new Reindexer(index);
    this.semantics = new WikiSemantics(index, settings.embeddings, slug);
    this.writes = new WritePipeline(repo, index, () => this.semantics.notify());
    this.gitRemote = new GitRemote(
      repo,
      index,
      { maxPageBytes: settings.maxPageBytes, maxAttachmentBytes: settings.maxAttachmentBytes },
      () => this.limits(),
    );
  }

  async close(): Promise<void> {
    await this.semantics.close();
    this.index.close();
    await this.repo.close();
  }

  /** Commits on the branch that the index does not reflect yet (0 when it is caught up). */
  async indexLag(): Promise<number> {
    const tip = this.repo.tip();
    const indexed = this.index.commit;
    if (tip === null || tip === indexed) return 0;
    return this.repo.countCommits(indexed, tip);
  }

  /** The limits of this wiki (unlimited when none are configured). */
  limits(): Promise<WikiLimits> {
    return this.settings.limits?.(this.slug) ?? Promise.resolve({});
  }

  /** What the wiki holds now: current pages and attachments, and the repository's bytes. */
  async usage(): Promise<WikiUsage> {
    await this.index.ensureFresh();
    return this.currentUsage();
  }

  private async currentUsage(): Promise<WikiUsage> {
    const attachments = this.attachmentTotals();
    return {
      pages: this.index.pageCount,
      repoBytes: await this.measureRepo(),
      attachmentBytes: attachments.bytes,
      attachments: attachments.count,
    };
  }

  /** The attachments' count and bytes, summed once per index commit. */
  private attachmentTotals(): { count: number; bytes: number } {
    const commit = this.index.freshCommit;
    if (this.attachments?.commit !== commit) this.attachments = { commit, ...this.index.attachmentTotals };
    return this.attachments;
  }

  private measureRepo(): Promise<number> {
    const tip = this.repo.tip();
    if (this.repoBytes?.tip !== tip) {
      this.repoBytes = { tip, bytes: objectStoreBytes(join(this.repo.dir, 'objects')) };
    }
    return this.repoBytes.bytes;
  }

  /** The commit the index reflects (null for an empty index). */
  get indexedCommit(): string | null {
    return this.index.commit;
  }

  /** Copy the index to `file` as a snapshot fresh instances can start from; the commit it reflects. */
  writeIndexSnapshot(file: string): Promise<string> {
    return writeSnapshot(this.index, file);
  }

  /**
   * Rebuild the index from git. One rebuild at a time: a Conflict (thrown at once) while one runs.
   * Resolves when it is done; its progress and outcome are also reported by `reindexStatus()`.
   */
  reindex(progress?: ProgressFn): Promise<void> {
    return this.reindexer.run(progress);
  }

  reindexStatus(): ReindexStatus {
    return this.reindexer.status();
  }

  /** How many pages the wiki has now. */
  async pageCount(): Promise<number> {
    await this.index.ensureFresh();
    return this.index.pageCount;
  }

  // ---- reads -----------------------------------------------------------------------------------

  async readPage(path: string, options: { revision?: string } = {}): Promise<PageView> {
    path = validPath(path);
    if (options.revision !== undefined) return this.readPageAt(path, options.revision);
    await this.index.ensureFresh();
    const commit = this.index.freshCommit;
    const key = path.toLowerCase();
    const cached = this.pageViews.get(key);
    if (cached && cached.commit === commit) return cached.view;
    const page = requirePage(this.index.page(path), path);
    const view: PageView = {
      ...pageFields(page),
      ...this.index.links(page.path),
      revision: page.lastCommit,
      lastCommit: await this.commitSummary(page.lastCommit),
    };
    this.pageViews.set(key, { commit, view });
    return view;
  }

  private async readPageAt(path: string, revision: string): Promise<PageView> {
    checkRevisionFormat(revision);
    const commit = await this.repo.resolveCommit(revision);
    if (!commit) throw new NotFound(`Revision not found: ${revision}`);
    await this.index.ensureFresh();
    const known = this.index.page(path)?.path ?? path;
    const file = pageFileName(known);
    const bytes = await this.repo.readFileAt(commit, file);
    if (bytes === null) throw new NotFound(`Page not found: ${path}`);
    const [last] = await this.repo.log({ from: commit, path: file, limit: 1 });
    if (!last) throw new NotFound(`Page not found: ${path}`);
    const content = bytes.toString('utf8');
    const { frontmatter, body } = parseFrontmatter(content);
    return {
      name: displayName(known, frontmatter, body),
      path: known,
      content,
      body,
      frontmatter,
      ...this.index.links(known),
      revision: last.sha,
      lastCommit: summary(last),
      blob: blobId(bytes),
    };
  }

  /**
   * A page's body (or part of it: `blob` then names the part too) as sanitized HTML, rendered once per
   * content in the process's shared cache, whichever door asks.
   */
  renderPage(page: { path: string; body: string; blob: string }): Promise<RenderedBody> {
    return this.renderer.page(this, page);
  }

  /** Unsaved text of the page at `path` rendered as it would show (the editor's preview), not cached. */
  previewPage(path: string, body: string): Promise<RenderedBody> {
    return this.renderer.preview(this, path, body);
  }

  private get renderer(): PageRenderer {
    if (!this.settings.renderer) throw new Unavailable('Page rendering is not available here');
    return this.settings.renderer;
  }

  /** Pages matching every given filter; `updatedSince` is ISO 8601 text, checked here for every door. */
  async listPages(
    filter: Omit<PageFilter, 'updatedSince'> & { updatedSince?: string } = {},
  ): Promise<{ pages: PageSummary[]; total: number }> {
    const { updatedSince, ...rest } = filter;
    const since = updatedSince ? parseInstant(updatedSince) : undefined;
    if (since === null) throw new Invalid('Invalid updated_since format. Use ISO 8601.');
    await this.index.ensureFresh();
    return this.index.listPages({ ...rest, ...(since ? { updatedSince: since } : {}) });
  }

  async history(path: string, limit?: number): Promise<{ path: string; history: CommitSummary[] }> {
    path = validPath(path);
    const page = await this.currentPage(path);
    const log = await this.repo.log({ path: pageFileName(page.path), ...(limit ? { limit } : {}) });
    return { path: page.path, history: log.map(summary) };
  }

  /** Pages matching `query`: hybrid (BM25 + vectors) when a model is ready, else full text. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchAnswer> {
    return searchPages(this.index, this.semantics, query, options, {
      limits: this.searchLimits,
      linkStyle: this.settings.linkStyle,
    });
  }

  get searchLimits(): SearchLimits {
    return this.settings.search ?? DEFAULT_SEARCH_LIMITS;
  }

  /** Chunks closest in meaning to `query`; Unavailable (503) without an embedding model. */
  async semanticSearch(
    query: string,
    options: { n?: number; maxChunksPerPage?: number } = {},
  ): Promise<SemanticHit[]> {
    checkQueryLength(query.trim(), this.searchLimits);
    return this.semantics.search(query, options);
  }

  async links(path: string): Promise<{ path: string; linksTo: string[]; linkedFrom: string[] }> {
    await this.index.ensureFresh();
    const page = this.index.page(path);
    return { path: page?.path ?? path, ...this.index.links(path) };
  }

  async graph(): Promise<{ nodes: string[]; edges: { source: string; target: string }[] }> {
    await this.index.ensureFresh();
    return this.index.graph();
  }

  async orphans(): Promise<string[]> {
    await this.index.ensureFresh();
    return this.index.orphans();
  }

  /** The commit the current pages reflect; changes with every write (a cache key). */
  version(): Promise<string | null> {
    return wikiVersion(this.storage);
  }

  /** A synchronous page-exists check over the current pages (for resolving wikilinks while rendering). */
  pageExistence(): Promise<(path: string) => boolean> {
    return pageExistence(this.storage);
  }

  /** One commit with the diff of every file it changed. */
  async commit(revision: string): Promise<CommitDetails> {
    return commitDetails(this.storage, revision);
  }

  /** How a page changed between two revisions. */
  async compare(path: string, from: string, to: string): Promise<PageComparison> {
    path = validPath(path);
    return comparePage(this.storage, path, from, to);
  }

  /** Who last changed each line of a page (now, or as of `revision`). */
  async blame(
    path: string,
    revision?: string,
  ): Promise<{ path: string; revision: string; blocks: BlameBlock[] }> {
    path = validPath(path);
    return blamePage(this.storage, path, revision);
  }

  async changelog(limit = 50, offset = 0): Promise<ChangelogEntry[]> {
    if (this.repo.tip() === null) return [];
    const log = await this.repo.log({ limit, skip: offset, withFiles: true });
    return log.map((c) => ({
      ...summary(c),
      pagesAffected: c.files.map(pagePathOfFile).filter((p): p is string => p !== null),
    }));
  }

  async listAttachments(path: string): Promise<{ path: string; attachments: AttachmentInfo[] }> {
    path = validPath(path);
    const page = await this.currentPage(path);
    const attachments = this.index
      .filesInFolder(page.path)
      .filter((f) => pagePathOfFile(f.path) === null)
      .map((f) => ({
        filename: baseName(f.path),
        size: f.size,
        mimeType: mimeType(f.path),
        lastModified: f.updatedAt,
      }));
    return { path: page.path, attachments };
  }

  async readAttachment(path: string, filename: string): Promise<AttachmentInfo & { content: Buffer }> {
    path = validPath(path);
    filename = validAttachmentName(filename);
    const page = await this.currentPage(path);
    const file = this.index.file(`${page.path}/${filename}`);
    if (!file) throw new NotFound(`Attachment not found: ${filename}`);
    return {
      filename: baseName(file.path),
      size: file.size,
      mimeType: mimeType(file.path),
      lastModified: file.updatedAt,
      content: await this.repo.readBlob(file.blob),
    };
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** Create a page, or update it when `revision` names its current revision. */
  async writePage(
    path: string,
    content: string,
    options: ChangeOptions & { revision?: string },
  ): Promise<WriteResult> {
    path = validPath(path);
    this.checkPageSize(content);
    return this.change(
      options,
      (current) => {
        const existing = current(path);
        if (existing) checkRevision(options.revision, existing.lastCommit);
        else if (options.revision) checkRevisionFormat(options.revision);
        return this.pageWrite(path, content, existing, options);
      },
      { shareable: true },
    );
  }

  /**
   * Save an edit made from `revision` (the page as its author last saw it; none for a page they
   * created). When the page has changed since, the edit is merged three-way with those changes;
   * changes that overlap are an EditConflict carrying the text with both sides marked.
   */
  async saveEdit(
    path: string,
    content: string,
    options: ChangeOptions & { revision?: string },
  ): Promise<WriteResult & { merged: boolean }> {
    path = validPath(path);
    this.checkPageSize(content);
    checkConflictResolved(content);
    if (options.revision) checkRevisionFormat(options.revision);
    const seen = options.revision?.toLowerCase() ?? '';
    return this.change(options, async (current) => {
      const existing = current(path);
      if (!existing || (seen && existing.lastCommit.startsWith(seen))) {
        return noting(this.pageWrite(path, content, existing, options), { merged: false });
      }
      const base = seen ? await this.fileAtRevision(seen, pageFileName(existing.path)) : null;
      const merge = await this.repo.mergeText(
        { base: base?.toString('utf8') ?? '', theirs: existing.content, mine: content },
        {
          mine: EDIT_LABELS.mine,
          base: seen ? seen.slice(0, 7) : 'empty',
          theirs: `${EDIT_LABELS.theirs} (${existing.lastCommit.slice(0, 7)})`,
        },
      );
      if (merge.conflicts > 0) {
        throw new EditConflict(
          `Your edit overlaps ${merge.conflicts === 1 ? 'a change' : `${merge.conflicts} changes`} saved meanwhile`,
          existing.lastCommit,
          merge.text,
        );
      }
      this.checkPageSize(merge.text);
      return noting(this.pageWrite(path, merge.text, existing, options), { merged: true });
    });
  }

  /** The commit that writes `content` to the page at `path` (`existing`, if there is one). */
  private pageWrite(
    path: string,
    content: string,
    existing: IndexedPage | undefined,
    options: ChangeOptions,
  ): PreparedChange<WriteResult> {
    const target = existing?.path ?? this.inExistingFolders(path);
    const action = existing ? 'Update' : 'Create';
    const { frontmatter, body } = parseFrontmatter(content);
    return {
      changes: [{ path: pageFileName(target), content }],
      message: commitMessage(options, action, target),
      result: (revision) => ({
        name: displayName(target, frontmatter, body),
        path: target,
        revision,
        created: !existing,
      }),
    };
  }

  /** Replace the one occurrence of `oldString` in the page. */
  async patchPage(
    path: string,
    edit: { revision: string; oldString: string; newString: string },
    options: ChangeOptions,
  ): Promise<Omit<WriteResult, 'created'>> {
    path = validPath(path);
    if (!edit.oldString) throw new Invalid('old_string must not be empty');
    checkRevisionFormat(edit.revision);
    if (edit.oldString === edit.newString) throw new Invalid('old_string and new_string are identical');
    return this.change(
      options,
      (current) => {
        const page = requirePage(current(path), path);
        checkRevision(edit.revision, page.lastCommit);
        const count = occurrences(page.content, edit.oldString);
        if (count === 0) throw new Invalid('old_string not found in page content');
        if (count > 1) {
          throw new Invalid(
            `old_string is ambiguous: found ${count} occurrences. Provide a longer unique string.`,
          );
        }
        const content = page.content.replace(edit.oldString, () => edit.newString);
        this.checkPageSize(content);
        const { frontmatter, body } = parseFrontmatter(content);
        return {
          changes: [{ path: pageFileName(page.path), content }],
          message: commitMessage(options, 'Edit', page.path),
          result: (revision) => ({
            name: displayName(page.path, frontmatter, body),
            path: page.path,
            revision,
          }),
        };
      },
      { shareable: true },
    );
  }

  /** Delete a page and its attachments (subpages stay). */
  async deletePage(path: string, options: ChangeOptions): Promise<{ path: string; revision: string }> {
    path = validPath(path);
    return this.change(options, (current) => {
      const page = requirePage(current(path), path);
      const attachments = this.index.filesInFolder(page.path).filter((f) => pagePathOfFile(f.path) === null);
      return {
        changes: [pageFileName(page.path), ...attachments.map((f) => f.path)].map((p) => ({
          path: p,
          content: null,
        })),
        message: commitMessage(options, 'Delete', page.path),
        result: (revision) => ({ path: page.path, revision }),
      };
    });
  }

  /**
   * Rename a page in one commit: its file, its folder (attachments and subpages), and every wikilink to
   * it or to a moved subpage, keeping display text and anchors.
   */
  async renamePage(
    path: string,
    newPath: string,
    options: ChangeOptions,
  ): Promise<{ oldPath: string; newPath: string; revision: string; updatedPages: string[] }> {
    path = validPath(path);
    if (!newPath.trim()) throw new Invalid('new_path must not be empty');
    const wanted = validPath(newPath);
    return this.change(options, async (current) => {
      const page = requirePage(current(path), path);
      // A rename that changes only case moves the page's own folder along: its last segment keeps the new spelling.
      const caseOnly = wanted.toLowerCase() === page.path.toLowerCase();
      const target = caseOnly ? this.inExistingFolders(wanted, 1) : this.inExistingFolders(wanted);
      if (page.path === target) throw new Invalid('new_path is the same as the current path');
      const occupant = current(target);
      if (occupant && occupant.id !== page.id) throw new Conflict(`A page already exists at: ${wanted}`);

      // Old path → new path for the page and every file in its folder.
      const moves = new Map<string, string>([[pageFileName(page.path), pageFileName(target)]]);
      for (const f of this.index.filesUnder(page.path))
        moves.set(f.path, target + f.path.slice(page.path.length));
      const renamedPages = [...moves]
        .map(([from, to]) => [pagePathOfFile(from), pagePathOfFile(to)] as const)
        .filter((pair): pair is readonly [string, string] => pair[0] !== null && pair[1] !== null);

      // Pages whose text changes: every page linking to a renamed page.
      const linking = new Set<string>();
      for (const [from] of renamedPages)
        for (const source of this.index.links(from).linkedFrom) linking.add(source);
      const rewritten = new Map<string, string>();
      for (const source of linking) {
        const original = current(source);
        if (!original) continue;
        let text = original.content;
        for (const [from, to] of renamedPages)
          text = rewriteWikiLinks(text, from, to, this.settings.linkStyle);
        if (text !== original.content) rewritten.set(pageFileName(original.path), text);
      }

      const changes: FileChange[] = [];
      for (const [from, to] of moves) {
        const content = rewritten.get(from) ?? (await this.fileContent(from));
        rewritten.delete(from);
        changes.push({ path: from, content: null }, { path: to, content });
      }
      for (const [file, content] of rewritten) changes.push({ path: file, content });
      const updatedPages = [...linking]
        .filter((source) => source !== page.path)
        .map((source) => {
          const moved = moves.get(pageFileName(source));
          return moved ? (pagePathOfFile(moved) as string) : source;
        })
        .sort();
      return {
        changes,
        message: commitMessage(options, 'Rename', `${page.path} -> ${target}`),
        result: (revision) => ({ oldPath: page.path, newPath: target, revision, updatedPages }),
      };
    });
  }

  async uploadAttachment(
    path: string,
    filename: string,
    content: Buffer,
    options: ChangeOptions,
  ): Promise<{ filename: string; path: string; size: number; mimeType: string; revision: string }> {
    path = validPath(path);
    filename = validAttachmentName(filename);
    if (content.length > this.settings.maxAttachmentBytes) {
      throw new Invalid(
        `Attachment too large (max ${Math.round(this.settings.maxAttachmentBytes / 1048576)}MB)`,
      );
    }
    return this.change(options, (current) => {
      const page = requirePage(current(path), path);
      const existing = this.index.file(`${page.path}/${filename}`);
      const file = existing?.path ?? `${this.inExistingFolders(page.path)}/${filename}`;
      return {
        changes: [{ path: file, content }],
        message: commitMessage(options, 'Attach', file),
        result: (revision) => ({
          filename: baseName(file),
          path: page.path,
          size: content.length,
          mimeType: mimeType(file),
          revision,
        }),
      };
    });
  }

  async deleteAttachment(
    path: string,
    filename: string,
    options: ChangeOptions,
  ): Promise<{ filename: string }> {
    path = validPath(path);
    filename = validAttachmentName(filename);
    return this.change(options, (current) => {
      const page = requirePage(current(path), path);
      const file = this.index.file(`${page.path}/${filename}`);
      if (!file) throw new NotFound(`Attachment not found: ${filename}`);
      return {
        changes: [{ path: file.path, content: null }],
        message: commitMessage(options, 'Delete attachment', file.path),
        result: () => ({ filename: baseName(file.path) }),
      };
    });
  }

  /**
   * Undo one commit, in one new commit: each file it touched gets its change undone, merged three-way
   * into the file as it is now; a change that overlaps later ones is a Conflict.
   */
  async revert(revision: string, options: ChangeOptions): Promise<RevertResult> {
    return this.change(options, () => prepareRevert(this.storage, revision, options));
  }

  // ---- internals -------------------------------------------------------------------------------

  private async currentPage(path: string): Promise<IndexedPage> {
    await this.index.ensureFresh();
    return requirePage(this.index.page(path), path);
  }

  /** The file as of a revision given by a caller; NotFound if git has no such revision. */
  private async fileAtRevision(revision: string, path: string): Promise<Buffer | null> {
    const commit = await this.repo.resolveCommit(revision);
    if (!commit) throw new NotFound(`Revision not found: ${revision}`);
    return this.repo.readFileAt(commit, path);
  }

  private async commitSummary(sha: string): Promise<CommitSummary> {
    const info = this.index.commitInfo(sha) ?? (await this.repo.commitInfo(sha));
    if (!info) return { revision: sha, author: '', date: '', message: '' };
    return summary(info);
  }

  private async fileContent(path: string): Promise<Buffer> {
    const file = this.index.file(path);
    if (!file) throw new NotFound(`File not found: ${path}`);
    return this.repo.readBlob(file.blob);
  }

  /**
   * `path` spelled as the folders that already hold it: folders differing only in case cannot coexist
   * (clones on macOS and Windows break), so "PATHPROBE/New" goes into an existing "PathProbe/". The
   * path's last segment counts as a folder too (it names the page's attachment folder) unless `keep`
   * says how many trailing segments keep their spelling.
   */
  private inExistingFolders(path: string, keep = 0): string {
    const segments = path.split('/');
    for (let depth = segments.length - keep; depth > 0; depth--) {
      const [inside] = this.index.filesUnder(segments.slice(0, depth).join('/'), 1);
      if (inside) return [...inside.path.split('/').slice(0, depth), ...segments.slice(depth)].join('/');
    }
    return path;
  }

  private checkPageSize(content: string): void {
    const bytes = Buffer.byteLength(content, 'utf8');
    if (bytes > this.settings.maxPageBytes) {
      throw new TooLarge(`Page content too large: ${bytes} bytes (max ${this.settings.maxPageBytes})`);
    }
  }

  /**
   * Make one commit. `prepare` sees the wiki as of the tip the commit will be built on (via `current`)
   * and is asked again if another writer wins the race, so its checks always hold for what lands.
   * `shareable`: it reads nothing but the pages it asks `current` for (see WritePipeline).
   */
  private change<T>(
    options: ChangeOptions,
    prepare: (current: CurrentPage) => PreparedChange<T> | Promise<PreparedChange<T>>,
    { shareable = false } = {},
  ): Promise<T> {
    checkCommitMessage(options.message);
    return this.limits().then((limits) =>
      this.writes.submit({
        actor: options.actor,
        shareable,
        prepare: async (current, chain) => {
          const prepared = await prepare(current);
          const clash = pathClash(prepared.changes, this.index);
          if (clash) throw new Invalid(clash);
          if (hasLimits(limits)) await this.checkLimits(limits, prepared.changes, chain);
          return prepared;
        },
      }),
    );
  }

  /** TooLarge naming each limit the change (after its chain-mates') would break, growing past it. */
  private async checkLimits(limits: WikiLimits, changes: FileChange[], chain: readonly FileChange[]) {
    const sizeOf = (path: string) => this.index.file(path)?.size;
    const sized = (list: readonly FileChange[]) =>
      list.map((c) => ({ path: c.path, size: c.content === null ? null : byteLength(c.content) }));
    const delta = deltaOf(sized(changes), sizeOf);
    const check = figuresToCheck(delta, limits);
    if (!check.pages && !check.attachments && !check.repoBytes) return;
    // Only the figures this change is checked against are measured; the chain's writes ahead count.
    const ahead = deltaOf(sized(chain), sizeOf);
    const attachments = check.attachments ? this.attachmentTotals() : { count: 0, bytes: 0 };
    const usage: WikiUsage = {
      pages: check.pages ? this.index.pageCount + ahead.pages : 0,
      attachments: attachments.count + ahead.attachments,
      attachmentBytes: attachments.bytes + ahead.attachmentBytes,
      repoBytes: check.repoBytes ? (await this.measureRepo()) + ahead.addedBytes : 0,
    };
    const problems = limitProblems(usage, delta, limits);
    if (problems.length > 0) throw new TooLarge(problems.join('; '));
  }
}

/** How the sides of an edit conflict are named on its marker lines. */
const EDIT_LABELS = { mine: 'your edit', theirs: 'saved meanwhile' };

/** An edit that still holds the markers of a conflict it was shown is not saved as it is. */
function checkConflictResolved(content: string): void {
  const start = content.search(new RegExp(`^<{7} ${EDIT_LABELS.mine}$`, 'm'));
  if (start >= 0 && content.indexOf(`\n>>>>>>> ${EDIT_LABELS.theirs}`, start) > 0) {
    throw new Invalid(
      `The text still holds conflict markers ("<<<<<<< ${EDIT_LABELS.mine}" … ">>>>>>> ${EDIT_LABELS.theirs}"): keep what should stay, remove the marker lines, and save again`,
    );
  }
}

/** The same change, its result with `extra` added. */
function noting<T, E>(prepared: PreparedChange<T>, extra: E): PreparedChange<T & E> {
  return { ...prepared, result: (revision) => ({ ...prepared.result(revision), ...extra }) };
}

/** The path as stored (NFC, segments trimmed), or Invalid naming the rule it breaks. */
function validPath(path: string): string {
  const problem = pagePathProblem(path);
  if (problem) throw new Invalid(problem);
  return normalizePagePath(path);
}

function validAttachmentName(name: string): string {
  const problem = attachmentNameProblem(name);
  if (problem) throw new Invalid(problem);
  return normalizeAttachmentName(name);
}

function requirePage(page: IndexedPage | undefined, path: string): IndexedPage {
  if (!page) throw new NotFound(`Page not found: ${path}`);
  return page;
}

function pageFields(page: IndexedPage) {
  return {
    name: page.name,
    path: page.path,
    content: page.content,
    body: page.body,
    frontmatter: page.frontmatter,
    blob: page.blob,
  };
}

function summary(c: CommitInfo): CommitSummary {
  return { revision: c.sha, author: c.authorName, date: c.date, message: c.message };
}

function byteLength(content: string | Buffer): number {
  return typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function mimeType(path: string): string {
  return getMimeType(path) ?? 'application/octet-stream';
}
