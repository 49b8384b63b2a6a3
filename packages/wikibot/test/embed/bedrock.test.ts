import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createBedrockProvider } from '../../src/embed/bedrock.js';
import {
  type BedrockEmbeddingConfig,
  createEmbeddingProvider,
  type EmbeddingProvider,
} from '../../src/embed/provider.js';
import { readBody, sendJson, startServer, type TestServer } from './test-server.js';
import { dot, norm } from './vector-math.js';

interface InvokeRecord {
  path: string;
  authorization: string;
  contentType: string | undefined;
  body: { inputText: string; dimensions: number; normalize: boolean };
}

type Planned = { status: number; errorType: string; message: string } | { embedding: number[] } | 'hang';

/** The server's unnormalised embedding of a text, `dimensions` long. */
function titanVector(text: string, dimensions: number): number[] {
  const seed = [...text].reduce((sum, char) => sum + (char.codePointAt(0) ?? 0), 0);
  return Array.from({ length: dimensions }, (_, i) => 2 * Math.cos(seed + i * 0.7));
}

/** Stands in for bedrock-runtime's InvokeModel over HTTP, so the real AWS SDK client (signing, retries, timeouts)
 *  runs against it. `plan` scripts the next answers; after that it answers like Titan Text Embeddings V2. */
async function startMockBedrock(): Promise<
  TestServer & { invocations: InvokeRecord[]; plan: Planned[]; maxInFlight: () => number }
> {
  const invocations: InvokeRecord[] = [];
  const plan: Planned[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const handler: http.RequestListener = async (request, response) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    const body = JSON.parse(await readBody(request)) as InvokeRecord['body'];
    invocations.push({
      path: request.url ?? '',
      authorization: String(request.headers.authorization),
      contentType: request.headers['content-type'],
      body,
    });
    const next = plan.shift();
    if (next === 'hang') return;
    if (next && 'errorType' in next) {
      sendJson(response, next.status, { message: next.message }, { 'x-amzn-errortype': next.errorType });
      return;
    }
    const embedding =
      next && 'embedding' in next ? next.embedding : titanVector(body.inputText, body.dimensions);
    // Yield so that concurrent calls overlap on the server.
    setImmediate(() =>
      sendJson(response, 200, { embedding, inputTextTokenCount: body.inputText.split(' ').length }),
    );
  };
  const server = await startServer(handler);
  return { ...server, invocations, plan, maxInFlight: () => maxInFlight };
}

const MODEL_PATH = '/model/amazon.titan-embed-text-v2%3A0/invoke';

describe('bedrock provider against a mock Bedrock endpoint (real AWS SDK client)', () => {
  const running: TestServer[] = [];
  const providers: EmbeddingProvider[] = [];
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((provider) => provider.close?.()));
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  async function mockBedrock(): Promise<Awaited<ReturnType<typeof startMockBedrock>>> {
    const server = await startMockBedrock();
    running.push(server);
    return server;
  }

  async function ready(
    endpoint: string,
    config: Partial<BedrockEmbeddingConfig> = {},
  ): Promise<EmbeddingProvider> {
    const result = await createBedrockProvider(
      { provider: 'bedrock', region: 'eu-central-1', ...config },
      { endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' } },
    );
    if (result.provider === null) throw new Error(`expected a provider, got: ${result.reason}`);
    providers.push(result.provider);
    return result.provider;
  }

  it('invokes Titan v2 once per text with inputText, dimensions and normalize, signed with SigV4', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url, { dimensions: 256 });
    expect(provider.id).toBe('bedrock:amazon.titan-embed-text-v2:0:256');
    expect(provider.dimensions).toBe(256);

    const texts = ['first chunk', 'second chunk', 'third chunk'];
    const vectors = await provider.embed(texts);

    const calls = bedrock.invocations.slice(1);
    expect(calls.map((call) => call.body.inputText).sort()).toEqual([...texts].sort());
    for (const call of bedrock.invocations) {
      expect(call.path).toBe(MODEL_PATH);
      expect(call.contentType).toBe('application/json');
      expect(call.body).toEqual({ inputText: call.body.inputText, dimensions: 256, normalize: true });
      expect(call.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/bedrock\//,
      );
    }
    vectors.forEach((vector, i) => {
      expect(vector.length).toBe(256);
      expect(norm(vector)).toBeCloseTo(1, 5);
      const expected = Float32Array.from(titanVector(texts[i] as string, 256));
      expect(dot(vector, expected) / norm(expected)).toBeCloseTo(1, 5);
    });
  });

  it('defaults to 1024 dimensions and keeps at most 8 calls in flight', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url);
    expect(provider.dimensions).toBe(1024);
    const texts = Array.from({ length: 30 }, (_, i) => `chunk number ${i}`);
    const vectors = await provider.embed(texts);
    expect(vectors).toHaveLength(30);
    expect(bedrock.invocations.every((call) => call.body.dimensions === 1024)).toBe(true);
    expect(bedrock.maxInFlight()).toBeLessThanOrEqual(8);
  });

  it('rejects dimensions Titan v2 does not offer before calling AWS', async () => {
    const result = await createEmbeddingProvider({
      provider: 'bedrock',
      region: 'us-east-1',
      dimensions: 300 as 256,
    });
    expect(result.provider === null && result.reason).toBe(
      'bad embedding config: bedrock dimensions must be one of 256, 512, 1024, got 300',
    );
  });

  it('retries throttling and server errors through the SDK, then succeeds', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url, { maxRetries: 3 });
    bedrock.plan.push(
      { status: 429, errorType: 'ThrottlingException', message: 'Too many requests' },
      { status: 500, errorType: 'InternalServerException', message: 'Something broke' },
    );
    const [vector] = await provider.embed(['retry me']);
    expect(norm(vector as Float32Array)).toBeCloseTo(1, 5);
    expect(bedrock.invocations.slice(1).map((call) => call.body.inputText)).toEqual([
      'retry me',
      'retry me',
      'retry me',
    ]);
  });

  it('gives up after maxRetries and names the AWS error', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url, { maxRetries: 1 });
    const failure = { status: 503, errorType: 'ServiceUnavailableException', message: 'Try later' };
    bedrock.plan.push(failure, failure);
    await expect(provider.embed(['never'])).rejects.toThrow(
      /InvokeModel amazon\.titan-embed-text-v2:0 failed after 2 attempt\(s\): ServiceUnavailableException: Try later/,
    );
  });

  it('does not retry a validation error', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url, { maxRetries: 3 });
    bedrock.plan.push({ status: 400, errorType: 'ValidationException', message: 'Malformed input request' });
    await expect(provider.embed(['bad'])).rejects.toThrow(/ValidationException: Malformed input request/);
    expect(bedrock.invocations).toHaveLength(2);
  });

  it('times out a call that gets no answer', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url, { maxRetries: 0, timeoutMs: 300 });
    bedrock.plan.push('hang');
    await expect(provider.embed(['slow'])).rejects.toThrow(
      /failed after 1 attempt\(s\): TimeoutError: .*exceeded the configured 300 ms requestTimeout/,
    );
  });

  it('retries a timed-out call', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url, { maxRetries: 1, timeoutMs: 300 });
    bedrock.plan.push('hang');
    const [vector] = await provider.embed(['slow once']);
    expect(vector?.length).toBe(1024);
    expect(bedrock.invocations.map((call) => call.body.inputText)).toEqual([
      'dimension probe',
      'slow once',
      'slow once',
    ]);
  });

  it('refuses a response of the wrong size', async () => {
    const bedrock = await mockBedrock();
    const provider = await ready(bedrock.url, { dimensions: 512 });
    bedrock.plan.push({ embedding: [1, 2, 3] });
    await expect(provider.embed(['short'])).rejects.toThrow(/returned 3 dimensions, expected 512/);
  });

  it('returns the probe failure as the reason', async () => {
    const bedrock = await mockBedrock();
    bedrock.plan.push({
      status: 403,
      errorType: 'AccessDeniedException',
      message: 'No access to this model',
    });
    const result = await createBedrockProvider(
      { provider: 'bedrock', region: 'eu-central-1', maxRetries: 0 },
      { endpoint: bedrock.url, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' } },
    );
    expect(result.provider === null && result.reason).toMatch(
      /Bedrock embeddings not usable: .*AccessDeniedException: No access to this model/,
    );
  });
});
