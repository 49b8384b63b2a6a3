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
      const replacements = {
        commit: (prepare: PrepareCommit) => traced(publish, prepare, (p) => repo.commit(p)),
        commitChain: (prepare: PrepareChain) => traced(publish, prepare, (p) => repo.commitChain(p)),
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
    if (attempts === 1 || !tracing) return prepare(tip);
    return withSpan('git.cas_retry', { 'git.attempt': attempts, 'git.tip': tip ?? '' }, () => prepare(tip));
  }) as Prepare;
  const result = tracing
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

/** The object with some methods replaced; everything else reaches the object itself. */
function overriding<T extends object>(target: T, replacements: Record<string, unknown>): T {
  return new Proxy(target, {
    get: (object, key) =>
      typeof key === 'string' && key in replacements ? replacements[key] : bound(object, key),
  });
}

/** The object with each named method run in a span `<prefix>.<method>`. */
function spanning<T extends object>(target: T, prefix: string, methods: readonly string[]): T {
  const wrapped = new Map<string, unknown>();
  for (const name of methods) {
    const method = (target as Record<string, unknown>)[name];
    if (typeof method !== 'function') continue;
    wrapped.set(name, (...args: unknown[]) =>
      withSpan(`${prefix}.${name}`, {}, () => method.apply(target, args)),
    );
  }
  return new Proxy(target, {
    get: (object, key) =>
      typeof key === 'string' && wrapped.has(key) ? wrapped.get(key) : bound(object, key),
  });
}

const boundMethods = new WeakMap<object, Map<PropertyKey, unknown>>();

/** A property of the object; methods bound to it so that their `this` is never the proxy. */
function bound(object: object, key: PropertyKey): unknown {
  const value = Reflect.get(object, key, object);
  if (typeof value !== 'function') return value;
  let methods = boundMethods.get(object);
  if (!methods) {
    methods = new Map();
    boundMethods.set(object, methods);
  }
  let method = methods.get(key);
  if (!method) {
    method = value.bind(object);
    methods.set(key, method);
  }
  return method;
}

function publicMethods(object: object): string[] {
  const prototype = Object.getPrototypeOf(object) as object;
  // Descriptors, not property reads: a getter must not run against the prototype.
  return Object.entries(Object.getOwnPropertyDescriptors(prototype))
    .filter(([name, descriptor]) => name !== 'constructor' && typeof descriptor.value === 'function')
    .map(([name]) => name);
}
