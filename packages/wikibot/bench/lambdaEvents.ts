import { randomUUID } from 'node:crypto';
import type { LambdaContext } from 'hono/aws-lambda';
import type { HttpApiEvent, HttpApiResult, ScheduledEvent } from '../dist/http/apiGateway.js';

/**
 * API Gateway HTTP API events as the AWS documentation shows them (payload format 2.0: "Working with
 * AWS Lambda proxy integrations for HTTP APIs"), built from fetch requests, and the function's results
 * turned back into fetch responses: a test client talks to the Lambda handler as if through API Gateway.
 */

export type LambdaHandler = (
  event: HttpApiEvent | ScheduledEvent,
  context: LambdaContext,
) => Promise<HttpApiResult | unknown>;

export interface GatewayOptions {
  /** The API's stage; `$default` serves at the root. */
  stage?: string;
  /** The host API Gateway was reached at (a custom domain, or `<id>.execute-api.<region>.amazonaws.com`). */
  domainName?: string;
  sourceIp?: string;
}

/** What API Gateway sends to the function for this request. */
export async function httpApiEvent(request: Request, options: GatewayOptions = {}): Promise<HttpApiEvent> {
  const url = new URL(request.url);
  const stage = options.stage ?? '$default';
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  request.headers.forEach((value, name) => {
    // API Gateway moves cookies out of the headers into their own array, one entry per cookie.
    if (name === 'cookie') cookies = value.split(/;\s*/).filter(Boolean);
    else headers[name] = value;
  });
  headers.host = options.domainName ?? url.host;
  const bytes = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const binary = bytes !== undefined && !isTextual(request.headers.get('content-type'));
  const now = new Date();
  const rawPath = stage === '$default' ? url.pathname : `/${stage}${url.pathname}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(url.search
      ? { queryStringParameters: Object.fromEntries(url.searchParams as unknown as [string, string][]) }
      : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      authentication: null,
      authorizer: {} as HttpApiEvent['requestContext']['authorizer'],
      domainName: options.domainName ?? url.host,
      domainPrefix: (options.domainName ?? url.host).split('.')[0] as string,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '192.0.2.1',
        userAgent: request.headers.get('user-agent') ?? 'agent',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage,
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(bytes ? { body: binary ? bytes.toString('base64') : bytes.toString('utf8') } : {}),
    isBase64Encoded: binary,
  } as HttpApiEvent;
}

/** What API Gateway sends back to the client for the function's result. */
export function responseOf(result: HttpApiResult): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, String(value));
  for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
  const nullBody = [101, 204, 205, 304].includes(result.statusCode);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  return new Response(nullBody ? null : body, { status: result.statusCode, headers });
}

/** A Lambda context with `remainingMs` left, as the runtime passes it. */
export function lambdaContext(remainingMs = 30_000): LambdaContext {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'wikibot',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:wikibot',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/wikibot',
    logStreamName: '2026/12/02/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** EventBridge's scheduled event, as a rule delivers it. */
export function scheduledEvent(): ScheduledEvent & Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: ['arn:aws:events:eu-west-1:123456789012:rule/wikibot-background'],
    detail: {},
  };
}

/**
 * A `fetch` whose requests to `origin` become events for the handler (and whose other requests go to
 * the network): hand it to a client library and the library talks to the function.
 */
export function lambdaFetch(
  handler: LambdaHandler,
  origin: string,
  options: GatewayOptions = {},
): typeof fetch {
  const network = globalThis.fetch;
  return async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== origin) return network(input, init);
    const result = (await handler(await httpApiEvent(request, options), lambdaContext())) as HttpApiResult;
    return responseOf(result);
  };
}

/** Whether API Gateway passes a body of this type as text (else base64). */
function isTextual(contentType: string | null): boolean {
  if (!contentType) return true;
  return /^text\/|^application\/(json|x-www-form-urlencoded|xml)|\+json|\+xml/i.test(contentType);
}
