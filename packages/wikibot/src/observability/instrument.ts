import { context, createContextKey, trace } from '@opentelemetry/api';
import type { GitRepository } from '../git/repository.js';
import type { ChainedCommit, PrepareChain, PrepareCommit } from '../git/types.js';
import type { WikiIndex } from '../index/wikiIndex.js';
import type { Wiki } from '../wiki/wiki.js';
import type { Metrics } from './metrics.js';
import { withSpan } from './tracing.js';

/** Wraps the parts of a wiki as they are opened, so their work shows in traces and metrics. */
export interface Instrumentation {
  repository(repo: GitRepository): GitRepository;
  index(index: WikiIndex): WikiIndex;
  wiki(wiki: Wiki): Wiki;
}

const GIT_READS = ['readBlob', 'readFileAt', 'listFiles', 'diffTrees', 'log', 'commitInfo', 'diff', 'blame'];
const INDEX_SYNCS = ['sync', 'rebuild', 'applyCommit', 'applyCommits'];

/**
 * Spans for every public use case of the wiki, git reads and commits (with a span per
 * compare-and-swap retry) and index catch-up; publish latency, commits and retries as metrics. The
 * wiki's writes are published in chains (WritePipeline): a chain's span belongs to the request whose
 * write started the pipeline's work.
 */
export function instrumentation(options: { tracing: boolean; metrics?: Metrics }): Instrumentation {
  const { tracing, metrics } = options;
  return {
    repository(repo) {
      const publish = { tracing, metrics };
      const commit = repo.commit.bind(repo);
      const commitChain = repo.commitChain.bind(repo);
      const replacements = {
        commit: (prepare: PrepareCommit) => traced(publish, prepare, commit),
        commitChain: (prepare: PrepareChain) => traced(publish, prepare, commitChain),
      };
      return overriding(tracing ? spanning(repo, 'git', GIT_READS) : repo, replacements);
    },
    index(index) {
      return tracing ? spanning(index, 'index', INDEX_SYNCS) : index;
    },
    wiki(wiki) {
      return tracing ? spanning(wiki, 'wiki', publicMethods(wiki)) : wiki;
    },
  };
}

/** One publication (a commit or a chain of them), with a span per retry of its preparation. */
async function traced<
  Prepare extends (tip: string | null) => unknown,
  Result extends ChainedCommit | ChainedCommit[],
>(
  options: { tracing: boolean; metrics: Metrics | undefined },
  prepare: Prepare,
  publish: (prepare: Prepare) => Promise<Result>,
): Promise<Result> {
  const { tracing, metrics } = options;
  const started = performance.now();
  let attempts = 0;
  const counted = ((tip: string | null) => {
    attempts++;
    if (attempts === 1 || !tracing || !trace.getActiveSpan()?.isRecording()) return prepare(tip);
    return withSpan('git.cas_retry', { 'git.attempt': attempts, 'git.tip': tip ?? '' }, () => prepare(tip));
  }) as Prepare;
  const result =
    tracing && trace.getActiveSpan()?.isRecording()
      ? await withSpan('git.commit', {}, async (span) => {
          const done = await publish(counted);
          const commits = Array.isArray(done) ? done : [done];
          span.setAttributes({
            'git.commits': commits.length,
            'git.sha': commits.at(-1)?.sha ?? '',
            'git.cas_retries': attempts - 1,
          });
          return done;
        })
      : await publish(counted);
  const count = Array.isArray(result) ? result.length : 1;
  metrics?.commit((performance.now() - started) / 1000, attempts - 1, count);
  return result;
}

/**
 * The object itself, with some methods replaced by own properties. Not a Proxy: every other property
 * access stays as fast as on the bare object, which matters on the read path.
 */
function overriding<T extends object>(target: T, replacements: Record<string, unknown>): T {
  Object.assign(target, replacements);
  return target;
}

/** Marks the context inside a spanned method of an object, so its calls to its own methods add no spans. */
const INSIDE = createContextKey('wikibot.instrumented-object');

/**
 * The object itself, with each named method run in a span `<prefix>.<method>` when called from
 * outside the object and within a recording span. Otherwise (no sampled trace, or the object calling
 * itself) the method runs as it is: no span, no context switch.
 */
function spanning<T extends object>(target: T, prefix: string, methods: readonly string[]): T {
  const replacements: Record<string, unknown> = {};
  for (const name of methods) {
    const method = (target as Record<string, unknown>)[name];
    if (typeof method !== 'function') continue;
    replacements[name] = (...args: unknown[]) => {
      const active = context.active();
      if (!trace.getSpan(active)?.isRecording() || active.getValue(INSIDE) === target) {
        return method.apply(target, args);
      }
      return withSpan(`${prefix}.${name}`, {}, () =>
        context.with(context.active().setValue(INSIDE, target), () => method.apply(target, args)),
      );
    };
  }
  return overriding(target, replacements);
}

function publicMethods(object: object): string[] {
  const prototype = Object.getPrototypeOf(object) as object;
  // Descriptors, not property reads: a getter must not run against the prototype.
  return Object.entries(Object.getOwnPropertyDescriptors(prototype))
    .filter(([name, descriptor]) => name !== 'constructor' && typeof descriptor.value === 'function')
    .map(([name]) => name);
}
