import type { APIGatewayProxyResult, ApiGatewayRequestContextV2, LambdaEvent } from 'hono/aws-lambda';

/** An API Gateway HTTP API (payload format 2.0) request event. */
export type HttpApiEvent = Extract<LambdaEvent, { requestContext: ApiGatewayRequestContextV2 }>;

/** The result the function returns for an HTTP API event (headers, not multi-value headers). */
export type HttpApiResult = APIGatewayProxyResult & { headers: Record<string, string> };

/** Amazon EventBridge's scheduled event (a rule or a schedule invoking the function). */
export interface ScheduledEvent {
  source: 'aws.events' | 'aws.scheduler';
  'detail-type': 'Scheduled Event';
}

export function isScheduledEvent(event: unknown): event is ScheduledEvent {
  const e = event as Partial<ScheduledEvent> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e['detail-type'] === 'Scheduled Event' &&
    (e.source === 'aws.events' || e.source === 'aws.scheduler')
  );
}

export function isHttpApiEvent(event: unknown): event is HttpApiEvent {
  const e = event as { version?: unknown; requestContext?: { http?: unknown } } | null;
  return (
    typeof e === 'object' && e !== null && e.version === '2.0' && typeof e.requestContext?.http === 'object'
  );
}

/**
 * The path prefix a named stage adds on API Gateway's own endpoint (`https://<id>.execute-api.<region>
 * .amazonaws.com/<stage>/...`); none for the `$default` stage or a custom domain's API mapping.
 */
export function stagePrefix(event: HttpApiEvent): string {
  const { stage, domainName } = event.requestContext;
  if (!stage || stage === '$default' || !/\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/.test(domainName))
    return '';
  const prefix = `/${stage}`;
  return event.rawPath === prefix || event.rawPath.startsWith(`${prefix}/`) ? prefix : '';
}

/** The event as the app sees it: the path without the stage prefix. */
export function withoutStage(event: HttpApiEvent, prefix: string): HttpApiEvent {
  const rawPath = event.rawPath.slice(prefix.length) || '/';
  return {
    ...event,
    rawPath,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, path: rawPath } },
  };
}

/** A redirect to a path of this app, sent back under the stage prefix the request came with. */
export function withStageLocation(result: HttpApiResult, prefix: string): HttpApiResult {
  const location = result.headers.location;
  if (!location?.startsWith('/') || location.startsWith('//')) return result;
  return { ...result, headers: { ...result.headers, location: `${prefix}${location}` } };
}
