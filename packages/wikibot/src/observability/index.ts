import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { type Instrumentation, instrumentation } from './instrument.js';
import { createMetrics, type GaugeSources, type Metrics } from './metrics.js';
import { startTracing, type Tracing } from './tracing.js';

/** Metrics and traces as configured; both off by default, and then nothing is loaded or wrapped. */
export interface Observability {
  metrics?: Metrics;
  tracing: boolean;
  /** Wraps each wiki's parts when either is on. */
  instrumentation?: Instrumentation;
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
  const tracer: Tracing | undefined = config.tracing.enabled
    ? await startTracing({
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
  return {
    ...(metrics ? { metrics } : {}),
    tracing,
    ...(metrics || tracing
      ? { instrumentation: instrumentation({ tracing, ...(metrics ? { metrics } : {}) }) }
      : {}),
    // An unreachable collector costs the spans, never a request or a clean shutdown.
    flush: () => exporting(tracer?.flush()),
    shutdown: () => exporting(tracer?.shutdown()),
  };
}
