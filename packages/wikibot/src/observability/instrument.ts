import type { GitRepository } from '../git/repository.js';
import type { ChainedCommit, PrepareChain, PrepareCommit } from '../git/types.js';
import type { Metrics } from './metrics.js';

/**
 * A wiki's repository as the wiki opens it, its publications (a commit or a chain of them) measured:
 * latency, commits and compare-and-swap retries. Not a Proxy: every other property access stays as
 * fast as on the bare object, which matters on the read path.
 */
export function measuredRepository(repo: GitRepository, metrics: Metrics): GitRepository {
  const commit = repo.commit.bind(repo);
  const commitChain = repo.commitChain.bind(repo);
  return Object.assign(repo, {
    commit: (prepare: PrepareCommit) => measured(metrics, prepare, commit),
    commitChain: (prepare: PrepareChain) => measured(metrics, prepare, commitChain),
  });
}

async function measured<
  Prepare extends (tip: string | null) => unknown,
  Result extends ChainedCommit | ChainedCommit[],
>(metrics: Metrics, prepare: Prepare, publish: (prepare: Prepare) => Promise<Result>): Promise<Result> {
  const started = performance.now();
  let attempts = 0;
  const counted = ((tip: string | null) => {
    attempts++;
    return prepare(tip);
  }) as Prepare;
  const result = await publish(counted);
  const count = Array.isArray(result) ? result.length : 1;
  metrics.commit((performance.now() - started) / 1000, attempts - 1, count);
  return result;
}
