import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { GitRepository } from '../git/repository.js';
import { seedIndex } from '../index/snapshot.js';
import type { Wiki } from '../wiki/wiki.js';

interface SnapshotState {
  /** The commit of the snapshot this process seeded from or wrote (null: none usable). */
  snapshotCommit: string | null;
  /** The index commit seen at the last check, and how many times it moved since the last snapshot. */
  seenCommit: string | null;
  advances: number;
}

/**
 * The policy around index snapshots for instances that start with an empty index directory
 * (serverless): seed each wiki's index from its snapshot when it is opened, and write a new snapshot
 * when one is missing or unusable (right after the rebuild) or once the index has moved `every` times.
 * Moves are counted per instance, so a snapshot is at most as frequent as every `every` commits.
 */
export class IndexSnapshots {
  private readonly state = new Map<string, SnapshotState>();

  constructor(
    private readonly every: number,
    private readonly snapshotFile: (slug: string) => string,
    private readonly logger: Logger,
  ) {}

  /** Seed a missing index from the wiki's snapshot (for WikiLocations.seedIndex). */
  async seed(slug: string, indexFile: string, repo: GitRepository): Promise<void> {
    if (existsSync(indexFile)) return;
    const started = performance.now();
    const outcome = await seedIndex(indexFile, this.snapshotFile(slug), repo).catch(
      (error: unknown): { rebuild: string } => ({ rebuild: `seeding failed: ${(error as Error).message}` }),
    );
    const ms = Math.round(performance.now() - started);
    if ('seeded' in outcome) {
      this.state.set(slug, { snapshotCommit: outcome.seeded, seenCommit: outcome.seeded, advances: 0 });
      this.logger.info({ event: 'index_seeded', wiki: slug, commit: outcome.seeded, ms }, 'index seeded');
    } else {
      this.state.set(slug, { snapshotCommit: null, seenCommit: null, advances: 0 });
      this.logger.info({ event: 'index_rebuild', wiki: slug, reason: outcome.rebuild }, 'index rebuilt');
    }
  }

  /** Write the snapshots that are due for these open wikis (after a request, before the instance freezes). */
  async writeDue(wikis: Wiki[]): Promise<void> {
    for (const wiki of wikis) {
      const commit = wiki.indexedCommit;
      if (commit === null) continue;
      const state = this.state.get(wiki.slug) ?? { snapshotCommit: commit, seenCommit: commit, advances: 0 };
      this.state.set(wiki.slug, state);
      if (commit !== state.seenCommit) {
        state.seenCommit = commit;
        state.advances++;
      }
      const due = state.snapshotCommit === null || state.advances >= this.every;
      if (!due || commit === state.snapshotCommit) continue;
      try {
        state.snapshotCommit = await wiki.writeIndexSnapshot(this.snapshotFile(wiki.slug));
        state.advances = 0;
        this.logger.info(
          { event: 'index_snapshot', wiki: wiki.slug, commit: state.snapshotCommit },
          'index snapshot written',
        );
      } catch (error) {
        this.logger.warn({ err: error, wiki: wiki.slug }, 'could not write the index snapshot');
      }
    }
  }
}
