import { handle, type LambdaContext } from 'hono/aws-lambda';
import pino from 'pino';
import { ConfigError, loadConfig, publicBaseUrl } from './config.js';
import {
  type HttpApiEvent,
  type HttpApiResult,
  isHttpApiEvent,
  isScheduledEvent,
  type ScheduledEvent,
  stagePrefix,
  withoutStage,
  withStageLocation,
} from './http/apiGateway.js';
import { createServicesApp } from './http/app.js';
import { xrayContext } from './observability/xrayTraceHeader.js';
import { openServices, type Services } from './services.js';
import { Unavailable } from './wiki/errors.js';

/**
 * The AWS Lambda entry: every door (REST, MCP, web, OAuth) for API Gateway HTTP API events, and
 * EventBridge scheduled events that drain queued embedding work. Services are opened once per
 * container, on its first invocation; nothing relies on the process outliving an invocation.
 */

/** Time kept back from a scheduled drain for finishing the invocation (snapshots, trace export). */
const DRAIN_RESERVE_MS = 10_000;

interface LambdaRuntime {
  services: Services;
  serve: (event: HttpApiEvent, context: LambdaContext) => Promise<HttpApiResult>;
}

export interface DrainResult {
  /** Deleted wikis whose restorable period had ended, removed by this invocation. */
  purged: string[];
  /** Wikis whose embedding queue is empty now. */
  drained: string[];
  /** Why the drain stopped before every wiki was drained, if it did. */
  stopped?: string;
}

let opening: Promise<LambdaRuntime> | undefined;

function runtime(): Promise<LambdaRuntime> {
  if (!opening) {
    opening = open();
    opening.catch(() => {
      opening = undefined; // the next invocation tries again
    });
  }
  return opening;
}

async function open(): Promise<LambdaRuntime> {
  const config = loadConfig();
  if (!config.base_url) throw new ConfigError('base_url (WIKIBOT_BASE_URL) is required on AWS Lambda');
  // Log lines written as they come: a container may be frozen right after its response.
  const logger = pino({ level: config.log_level, base: undefined });
  const services = await openServices(config, logger);
  // Each request's span joins its invocation's X-Ray trace (the header Lambda puts in _X_AMZN_TRACE_ID).
  const app = createServicesApp(services, () => publicBaseUrl(config), {
    traceParent: () => xrayContext(process.env._X_AMZN_TRACE_ID),
  });
  return { services, serve: handle(app) as LambdaRuntime['serve'] };
}

export async function handler(
  event: HttpApiEvent | ScheduledEvent,
  context: LambdaContext,
): Promise<HttpApiResult | DrainResult> {
  const { services, serve } = await runtime();
  try {
    if (isScheduledEvent(event)) return await drainEmbeddings(services, context);
    if (!isHttpApiEvent(event))
      throw new Error('Unsupported event: expected an HTTP API (2.0) or scheduled event');
    const prefix = stagePrefix(event);
    if (!prefix) return await serve(event, context);
    return withStageLocation(await serve(withoutStage(event, prefix), context), prefix);
  } finally {
    await finishInvocation(services);
  }
}

/**
 * The background work a long-running server does on its own: purge deleted wikis whose restorable
 * period ended, then embed what every wiki has queued, until done or the invocation's time is nearly up.
 */
async function drainEmbeddings(services: Services, context: LambdaContext): Promise<DrainResult> {
  const purged = await services.platform.wikis.purgeExpired();
  const signal = AbortSignal.timeout(Math.max(0, context.getRemainingTimeInMillis() - DRAIN_RESERVE_MS));
  const drained: string[] = [];
  for (const { slug } of await services.registry.list()) {
    const wiki = await services.registry.wiki(slug);
    try {
      await wiki.semantics.drain(undefined, signal);
      drained.push(slug);
    } catch (error) {
      if (signal.aborted) return { purged, drained, stopped: `time budget spent during ${slug}` };
      if (error instanceof Unavailable) return { purged, drained, stopped: error.message };
      throw error;
    }
  }
  return { purged, drained };
}

/** Work that must be done before the container may be frozen: due index snapshots, trace export. */
async function finishInvocation(services: Services): Promise<void> {
  try {
    await services.snapshots?.writeDue(await services.registry.openWikis());
  } finally {
    if (services.observability.tracing) await services.observability.flush();
  }
}
