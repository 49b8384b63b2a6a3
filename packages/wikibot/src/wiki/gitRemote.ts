import type { GitRepository } from '../git/repository.js';
import { advertiseRefs, type GitService, serviceExchange } from '../git/smart-http.js';
import type { WikiIndex } from '../index/wikiIndex.js';
import type { WikiLimits } from './limits.js';
import type { PushRules } from './push-rules.js';

export { GIT_SERVICES, type GitService } from '../git/smart-http.js';

/** The pre-receive hook module, run by receive-pack in its own process (compiled: push-hook.js). */
const PUSH_HOOK = new URL('./push-hook.js', import.meta.url);

export interface GitExchangeOptions {
  /** The request body is gzip-compressed. */
  gzip?: boolean;
  /** git's complaint when it failed, for the log. */
  onFailure?: (message: string) => void;
}

/**
 * A wiki's repository as a git remote (smart HTTP): clone and fetch as they are, pushes checked
 * against `rules` before they land, and the index caught up with a push before its answer ends, so
 * a read right after `git push` returns sees the pushed pages.
 */
export class GitRemote {
  constructor(
    private readonly repo: GitRepository,
    private readonly index: WikiIndex,
    private readonly rules: Omit<PushRules, 'branch' | 'limits'>,
    private readonly limits: () => Promise<WikiLimits>,
  ) {}

  advertisement(service: GitService, options: GitExchangeOptions = {}): ReadableStream<Uint8Array> {
    return advertiseRefs(this.repo.dir, service, options);
  }

  async exchange(
    service: GitService,
    body: ReadableStream<Uint8Array> | null,
    options: GitExchangeOptions = {},
  ): Promise<ReadableStream<Uint8Array>> {
    if (service !== 'git-receive-pack') return serviceExchange(this.repo.dir, service, body, options);
    const rules: PushRules = { ...this.rules, branch: this.repo.branch, limits: await this.limits() };
    return serviceExchange(this.repo.dir, service, body, {
      ...options,
      push: { module: PUSH_HOOK, settings: { ...rules } },
      afterExit: () => this.index.ensureFresh(),
    });
  }
}
