import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEmbeddingProvider,
  type EmbeddingProvider,
  type OpenAIEmbeddingConfig,
} from '../../src/embed/provider.js';
import { readBody, refusingUrl, sendJson, startServer, type TestServer } from './test-server.js';
import { norm } from './vector-math.js';

const DIMENSIONS = 8;
const API_KEY = 'sk-test-secret-key';

/** The server's deterministic, deliberately unnormalised embedding of a text. */
function serverVector(text: string): number[] {
  let hash = 7;
  for (const char of text) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 100_003;
  return Array.from({ length: DIMENSIONS }, (_, i) => 3 * Math.sin(hash + i));
}

type Planned = { status: number; body: unknown; headers?: Record<string, string> } | 'hang' | 'drop';

interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: { model: string; input: string[]; encoding_format?: string; dimensions?: number };
}

/** An OpenAI-compatible /v1/embeddings server; `plan` scripts the next answers, then it answers normally. */
async function startEmbeddingsServer(): Promise<
  TestServer & { requests: RecordedRequest[]; plan: Planned[] }
> {
  const requests: RecordedRequest[] = [];
  const plan: Planned[] = [];
  const handler: http.RequestListener = async (request, response) => {
    const body = JSON.parse(await readBody(request)) as RecordedRequest['body'];
    requests.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      sendJson(response, 404, { error: { message: `no route ${request.method} ${request.url}` } });
      return;
    }
    const next = plan.shift();
    if (next === 'hang') return;
    if (next === 'drop') {
      request.socket.destroy();
      return;
    }
    if (next) {
      sendJson(response, next.status, next.body, next.headers);
      return;
    }
    sendJson(response, 200, {
      object: 'list',
      model: body.model,
      // Reversed on purpose: clients must order by `index`.
      data: body.input
        .map((text, index) => ({ object: 'embedding', index, embedding: serverVector(text) }))
        .reverse(),
    });
  };
  const server = await startServer(handler);
  return { ...server, requests, plan };
}

function config(baseUrl: string, overrides: Partial<OpenAIEmbeddingConfig> = {}): OpenAIEmbeddingConfig {
  return {
    provider: 'openai',
    baseUrl,
    model: 'test-embed',
    apiKey: API_KEY,
    timeoutMs: 5_000,
    ...overrides,
  };
}

async function ready(cfg: OpenAIEmbeddingConfig): Promise<EmbeddingProvider> {
  const result = await createEmbeddingProvider(cfg);
  if (result.provider === null) throw new Error(`expected a provider, got: ${result.reason}`);
  return result.provider;
}

describe('openai-compatible embedding provider (real HTTP server on 127.0.0.1)', () => {
  const running: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });
  async function embeddingsServer(): Promise<Awaited<ReturnType<typeof startEmbeddingsServer>>> {
    const server = await startEmbeddingsServer();
    running.push(server);
    return server;
  }

  it('learns the dimensions from a probe and names model and dimensions in its id', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url));
    expect(provider.id).toBe('openai:test-embed:8');
    expect(provider.dimensions).toBe(DIMENSIONS);
    const [probe] = server.requests;
    expect(probe?.path).toBe('/v1/embeddings');
    expect(probe?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(probe?.body).toMatchObject({ model: 'test-embed', encoding_format: 'float' });
    expect(probe?.body.dimensions).toBeUndefined();
  });

  it('splits inputs into batches and returns unit vectors in input order', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url, { batchSize: 3 }));
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];
    const vectors = await provider.embed(texts);

    expect(server.requests.slice(1).map((request) => request.body.input)).toEqual([
      ['alpha', 'beta', 'gamma'],
      ['delta', 'epsilon', 'zeta'],
      ['eta'],
    ]);
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((vector, i) => {
      expect(norm(vector)).toBeCloseTo(1, 5);
      const raw = serverVector(texts[i] as string);
      const length = Math.hypot(...raw);
      raw.forEach((value, d) => {
        expect(vector[d]).toBeCloseTo(value / length, 5);
      });
    });
  });

  it('returns no vectors and sends nothing for no texts', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url));
    expect(await provider.embed([])).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('accepts a baseUrl that already ends in /v1', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(`${server.url}/v1/`));
    expect(provider.dimensions).toBe(DIMENSIONS);
    expect(server.requests[0]?.path).toBe('/v1/embeddings');
  });

  it('retries after 429 and 500 (honouring Retry-After) and then succeeds', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url, { maxRetries: 3 }));
    server.plan.push(
      { status: 429, body: { error: { message: 'rate limited' } }, headers: { 'retry-after': '0' } },
      { status: 500, body: { error: { message: 'overloaded' } }, headers: { 'retry-after': '0' } },
    );
    const [vector] = await provider.embed(['retry me']);
    expect(norm(vector as Float32Array)).toBeCloseTo(1, 5);
    expect(server.requests.slice(1).map((request) => request.body.input)).toEqual([
      ['retry me'],
      ['retry me'],
      ['retry me'],
    ]);
  });

  it('retries after a dropped connection (network error) and then succeeds', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url, { maxRetries: 1 }));
    server.plan.push('drop');
    const vectors = await provider.embed(['after a drop']);
    expect(vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after maxRetries with the status and server message', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url, { maxRetries: 2 }));
    const unavailable = {
      status: 503,
      body: { message: 'model is loading' },
      headers: { 'retry-after': '0' },
    };
    server.plan.push(unavailable, unavailable, unavailable);
    await expect(provider.embed(['never'])).rejects.toThrow(
      /failed after 3 attempt\(s\): HTTP 503 Service Unavailable: model is loading/,
    );
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry a 400 and reports its status and message without the API key', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url, { maxRetries: 3 }));
    server.plan.push({ status: 400, body: { error: { message: "'input' must not contain empty strings" } } });
    const failure = await provider.embed(['']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toMatch(/rejected: HTTP 400 Bad Request: 'input' must not contain empty strings/);
    expect(message).not.toContain(API_KEY);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on a server that does not answer within timeoutMs', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url, { timeoutMs: 300, maxRetries: 0 }));
    server.plan.push('hang');
    await expect(provider.embed(['slow'])).rejects.toThrow(
      /failed after 1 attempt\(s\): no answer within 300 ms/,
    );
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const server = await embeddingsServer();
    const provider = await ready(config(server.url, { maxRetries: 3 }));
    server.plan.push('hang');
    const controller = new AbortController();
    const embedding = provider.embed(['cancel me'], controller.signal);
    await expect.poll(() => server.requests.length).toBe(2);
    controller.abort(new Error('search cancelled'));
    await expect(embedding).rejects.toThrow('search cancelled');
    expect(server.requests).toHaveLength(2);
  });

  it('sends configured dimensions and refuses a server that returns another size', async () => {
    const server = await embeddingsServer();
    const result = await createEmbeddingProvider(config(server.url, { dimensions: 16 }));
    expect(server.requests[0]?.body.dimensions).toBe(16);
    expect(result.provider).toBeNull();
    expect(result.provider === null && result.reason).toMatch(
      /returned 8-dimensional vectors .* configured as 16/,
    );
  });

  it('reports an unreachable server as the reason, not an exception', async () => {
    const result = await createEmbeddingProvider(config(await refusingUrl(), { maxRetries: 0 }));
    expect(result.provider).toBeNull();
    expect(result.provider === null && result.reason).toMatch(/embedding server not usable: .*network error/);
  });

  it('reports bad config as the reason', async () => {
    for (const [overrides, problem] of [
      [{ baseUrl: 'ftp://example.test' }, /baseUrl must be an http\(s\) URL/],
      [{ model: '' }, /model must be a non-empty string/],
      [{ batchSize: 0 }, /batchSize must be an integer >= 1/],
      [{ maxRetries: -1 }, /maxRetries must be an integer >= 0/],
    ] as const) {
      const result = await createEmbeddingProvider(config('http://127.0.0.1:9', overrides));
      expect(result.provider === null && result.reason).toMatch(problem);
    }
  });
});
