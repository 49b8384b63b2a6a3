import { Agent, request } from 'node:http';
import type { LambdaContext } from 'hono/aws-lambda';

/**
 * The Lambda Runtime API client for the container image (docs/deploy-aws.md, "Packaging"): fetch the
 * next invocation, run the handler, post its result or error, forever. Lambda's own Node runtime
 * does the same for zip functions; an image brings its own, and this one needs no native build.
 */

export type Handler = (event: unknown, context: LambdaContext) => Promise<unknown>;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function serveRuntimeApi(
  handler: Handler,
  api = process.env.AWS_LAMBDA_RUNTIME_API,
): Promise<never> {
  if (!api) throw new Error('AWS_LAMBDA_RUNTIME_API is not set: this entry runs inside AWS Lambda');
  const call = runtimeClient(api);
  for (;;) {
    const next = await call('GET', '/invocation/next');
    if (next.status !== 200)
      throw new Error(`Runtime API /invocation/next answered ${next.status}: ${next.body}`);
    const header = (name: string) => String(next.headers[name] ?? '');
    const id = header('lambda-runtime-aws-request-id');
    // The X-Ray trace header of this invocation, where tracing libraries look for it.
    if (header('lambda-runtime-trace-id')) process.env._X_AMZN_TRACE_ID = header('lambda-runtime-trace-id');
    else delete process.env._X_AMZN_TRACE_ID;
    const deadline = Number(header('lambda-runtime-deadline-ms'));
    const context: LambdaContext = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? '',
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '',
      invokedFunctionArn: header('lambda-runtime-invoked-function-arn'),
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
      awsRequestId: id,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let outcome: { path: string; body: string; headers?: Record<string, string> };
    try {
      const result = await handler(JSON.parse(next.body), context);
      outcome = { path: `/invocation/${id}/response`, body: JSON.stringify(result ?? null) };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      console.error(`invocation ${id} failed:`, failure);
      outcome = {
        path: `/invocation/${id}/error`,
        body: JSON.stringify({
          errorType: failure.name,
          errorMessage: failure.message,
          stackTrace: failure.stack?.split('\n').slice(1) ?? [],
        }),
        headers: { 'lambda-runtime-function-error-type': 'Runtime.UnhandledError' },
      };
    }
    const posted = await call('POST', outcome.path, outcome.body, outcome.headers);
    if (posted.status >= 300)
      console.error(`Runtime API ${outcome.path} answered ${posted.status}: ${posted.body}`);
  }
}

/**
 * Requests to the Runtime API over one kept-alive connection, with no timeout: /invocation/next waits,
 * by design, as long as no invocation comes (fetch's header timeout would end that wait).
 */
function runtimeClient(api: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base = `http://${api}/2018-06-01/runtime`;
  return (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const sent = request(
        `${base}${path}`,
        { method, agent, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
}
