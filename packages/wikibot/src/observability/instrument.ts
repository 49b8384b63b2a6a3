import type { GitRepository } from '../git/repository.js';
import type { PrepareCommit } from '../git/types.js';
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
const INDEX_SYNCS = ['sync', 'rebuild', 'applyCommit'];

/**
 * Spans for every public use case of the wiki, git reads and commits (with a span per
 * compare-and-swap retry) and index catch-up; commit latency and retries as metrics.
 */
export function instrumentation(options: { tracing: boolean; metrics?: Metrics }): Instrumentation {
  const { tracing, metrics } = options;
  return {
    repository(repo) {
      const commit = (prepare: PrepareCommit) => tracedCommit(repo, prepare, tracing, metrics);
      if (!tracing) return overriding(repo, { commit });
      return overriding(spanning(repo, 'git', GIT_READS), { commit });
    },
    index(index) {
      return tracing ? spanning(index, 'index', INDEX_SYNCS) : index;
    },
    wiki(wiki) {
      return tracing ? spanning(wiki, 'wiki', publicMethods(wiki)) : wiki;
    },
  };
}

async function tracedCommit(
  repo: GitRepository,
  prepare: PrepareCommit,
  tracing: boolean,
  metrics: Metrics | undefined,
): Promise<{ sha: string; parent: string | null }> {
  const started = performance.now();
  let attempts = 0;
  const counted: PrepareCommit = (tip) => {
    attempts++;
    if (attempts === 1 || !tracing) return prepare(tip);
    return withSpan('git.cas_retry', { 'git.attempt': attempts, 'git.tip': tip ?? '' }, () => prepare(tip));
  };
  const run = () => repo.commit(counted);
  const result = tracing
    ? await withSpan('git.commit', {}, async (span) => {
        const done = await run();
        span.setAttributes({ 'git.sha': done.sha, 'git.cas_retries': attempts - 1 });
        return done;
      })
    : await run();
  metrics?.commit((performance.now() - started) / 1000, attempts - 1);
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
