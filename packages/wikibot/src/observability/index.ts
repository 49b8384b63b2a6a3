import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { GitRepository } from '../git/repository.js';
import type { Wiki } from '../wiki/wiki.js';
import { measuredRepository } from './instrument.js';
import { createMetrics, type GaugeSources, type Metrics } from './metrics.js';
import type { Tracing } from './tracing.js';

/**
 * Metrics and traces as configured; both off by default, and then nothing is loaded or wrapped (not
 * even the OpenTelemetry API: every command-line command would pay for loading it).
 */
export interface Observability {
  metrics?: Metrics;
  tracing: boolean;
  /** Measures each wiki's commits as its repository is opened; only with metrics on. */
  measureRepository?: (repo: GitRepository) => GitRepository;
  /** The wiki as a request sampled for tracing sees it, spanning under `parent`; only with tracing on. */
  traceWiki?: (wiki: Wiki, parent: Context) => Wiki;
  /** Export the spans ended so far. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function startObservability(
  config: Config,
  sources: GaugeSources,
  logger: Logger,
): Promise<Observability> {
  const metrics = config.metrics.enabled ? await createMetrics(sources) : undefined;
  const spans = config.tracing.enabled ? await import('./tracing.js') : undefined;
  const tracer: Tracing | undefined = spans
    ? await spans.startTracing({
        exporter: config.tracing.exporter,
        endpoint: config.tracing.endpoint,
        xrayDaemon: config.tracing.xray_daemon,
        serviceName: config.tracing.service_name,
        headers: config.tracing.headers,
        sampleRatio: config.tracing.sample_ratio,
      })
    : undefined;
  const tracing = tracer !== undefined;
  const exporting = async (work: Promise<void> | undefined) => {
    try {
      await work;
    } catch (error) {
      logger.warn({ err: error, endpoint: config.tracing.endpoint }, 'could not export traces');
    }
  };
  const traceWiki = tracing ? (await import('./tracedWiki.js')).tracedWiki : undefined;
  return {
    ...(metrics
      ? { metrics, measureRepository: (repo: GitRepository) => measuredRepository(repo, metrics) }
      : {}),
    tracing,
    ...(traceWiki ? { traceWiki } : {}),
    // An unreachable collector costs the spans, never a request or a clean shutdown.
    flush: () => exporting(tracer?.flush()),
    shutdown: () => exporting(tracer?.shutdown()),
  };
}
