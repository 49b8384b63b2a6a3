// One Lambda "container" for the harness and the benchmark: a fresh Node process that loads the
// handler as deployed (the bundle, dist/bundle/lambda.js, made by `npm run build`) and invokes it
// with the events its parent sends over IPC, the parent standing in for API Gateway and the Lambda
// service. Configuration comes from the environment.
import { handler } from '../dist/bundle/lambda.js';

process.on('message', async ({ id, event, timeoutMs }) => {
  const deadline = Date.now() + timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'wikibot',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:wikibot',
    memoryLimitInMB: '1024',
    awsRequestId: String(id),
    logGroupName: '/aws/lambda/wikibot',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    process.send({ id, result: await handler(event, context) });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.send({ ready: true });
