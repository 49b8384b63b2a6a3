import type { Context } from '@opentelemetry/api';
import type { GitRepository } from '../git/repository.js';
import type { ChainedCommit } from '../git/types.js';
import type { WikiIndex } from '../index/wikiIndex.js';
import type { PageRenderer } from '../wiki/types.js';
import type { Wiki } from '../wiki/wiki.js';
import type { WorkPool } from '../work/pool.js';
import { inSpan } from './tracing.js';

const GIT_READS = ['readBlob', 'readFileAt', 'listFiles', 'diffTrees', 'log', 'commitInfo', 'diff', 'blame'];
const GIT_PUBLISHES = ['commit', 'commitChain'];
const INDEX_SYNCS = ['sync', 'rebuild', 'applyCommit', 'applyCommits'];

type Method = (...args: unknown[]) => unknown;
/** Runs one call of a spanned method: `method` as read from the target. */
type Spanned = (name: string, method: Method, args: unknown[]) => unknown;

/**
 * The wiki as one sampled request sees it: each use case runs in a span `wiki.<method>` under
 * `parent`, and within it the wiki's repository, index, write pipeline and renderer are views that
 * put git reads and commits (with a span per compare-and-swap retry), index catch-up and renders in
 * the worker pool in spans below it. A request that is not sampled gets the wiki itself.
 *
 * The views reach into the wiki's parts by field name (its `repo`, `index`, `storage`, `writes`,
 * `settings`; the renderer's `settings.pool`): test/observability/metrics-traces.test.ts checks the
 * spans that come through `repo`, `index`, `writes` and `settings`, so a rename there shows.
 */
export function tracedWiki(wiki: Wiki, parent: Context): Wiki {
  return view(wiki, {}, useCases(wiki), (name, method, args) =>
    inSpan(`wiki.${name}`, {}, parent, (context) => method.apply(wikiParts(wiki, context), args)),
  );
}

/** The wiki seen from inside one of its use cases: its parts replaced by views spanning under `context`. */
function wikiParts(wiki: Wiki, context: Context): Wiki {
  const inner = wiki as unknown as WikiInternals;
  const repo = repositoryView(inner.repo, context);
  const index = indexView(inner.index, context);
  const renderer = inner.settings.renderer;
  return view(wiki, {
    repo,
    index,
    storage: { repo, index },
    writes: view(inner.writes, { repo, index }),
    settings: renderer ? { ...inner.settings, renderer: rendererView(renderer, context) } : inner.settings,
  });
}

interface WikiInternals {
  repo: GitRepository;
  index: WikiIndex;
  writes: object;
  settings: Wiki['settings'];
}

function repositoryView(repo: GitRepository, parent: Context): GitRepository {
  return view(repo, {}, [...GIT_READS, ...GIT_PUBLISHES], (name, method, args) =>
    GIT_PUBLISHES.includes(name)
      ? publication(parent, args[0] as Prepare, (prepare) => method.call(repo, prepare) as Promise<Published>)
      : inSpan(`git.${name}`, {}, parent, () => method.apply(repo, args)),
  );
}

type Prepare = (tip: string | null) => unknown;
type Published = ChainedCommit | ChainedCommit[];

/** A commit or a chain of them in a span `git.commit`, with a span for each retry of its preparation. */
function publication(
  parent: Context,
  prepare: Prepare,
  publish: (prepare: Prepare) => Promise<Published>,
): Promise<Published> {
  return inSpan('git.commit', {}, parent, async (context, span) => {
    let attempts = 0;
    const retried: Prepare = (tip) => {
      attempts++;
      if (attempts === 1) return prepare(tip);
      return inSpan('git.cas_retry', { 'git.attempt': attempts, 'git.tip': tip ?? '' }, context, () =>
        prepare(tip),
      );
    };
    const done = await publish(retried);
    const commits = Array.isArray(done) ? done : [done];
    span.setAttributes({
      'git.commits': commits.length,
      'git.sha': commits.at(-1)?.sha ?? '',
      'git.cas_retries': attempts - 1,
    });
    return done;
  });
}

function indexView(index: WikiIndex, parent: Context): WikiIndex {
  return view(index, {}, INDEX_SYNCS, (name, method, args) =>
    inSpan(`index.${name}`, {}, parent, () => method.apply(index, args)),
  );
}

/** The renderer with its worker pool's tasks in spans `work.<task>` (only work done: a cache hit has none). */
function rendererView(renderer: PageRenderer, parent: Context): PageRenderer {
  const settings = (renderer as unknown as { settings: { pool: WorkPool } }).settings;
  const pool = view(settings.pool, {}, ['run'], (_name, method, args) => {
    const [task, , deadline] = args as [string, unknown, { ms: number }];
    return inSpan(`work.${task}`, { 'work.deadline_ms': deadline.ms }, parent, () =>
      method.apply(settings.pool, args),
    );
  });
  return view(renderer, { settings: { ...settings, pool } });
}

/**
 * A Proxy of `target`: `parts` replace some of its fields (for reading; writes reach the target), and
 * the methods named run through `spanned`. Every other method runs with the view as `this`, so what
 * it calls on itself or its parts is seen too; a spanned method runs on the target itself, so its
 * own calls add no spans below its span. Made only for sampled requests: a Proxy is slow.
 */
function view<T extends object>(
  target: T,
  parts: Record<string, unknown>,
  methods: readonly string[] = [],
  spanned?: Spanned,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property !== 'string') return Reflect.get(object, property, receiver);
      if (Object.hasOwn(parts, property)) return parts[property];
      const value: unknown = Reflect.get(object, property, receiver);
      if (spanned && typeof value === 'function' && methods.includes(property)) {
        return (...args: unknown[]) => spanned(property, value as Method, args);
      }
      return value;
    },
  });
}

let wikiMethods: readonly string[] | undefined;

/** The methods of the Wiki class (read once). */
function useCases(wiki: Wiki): readonly string[] {
  wikiMethods ??= Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(wiki) as object))
    // Descriptors, not property reads: a getter must not run against the prototype.
    .filter(([name, descriptor]) => name !== 'constructor' && typeof descriptor.value === 'function')
    .map(([name]) => name);
  return wikiMethods;
}
