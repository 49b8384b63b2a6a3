import {
  checkHttpUrl,
  checkNonEmptyString,
  checkOptionalInteger,
  errorMessage,
  firstProblem,
} from './checks.js';
import type { EmbeddingProvider, OpenAIEmbeddingConfig, ProviderResult } from './provider.js';
import { isRetryableStatus, parseRetryAfterMs, pause, retryDelayMs } from './retry.js';
import { inBatches, toUnitVector } from './vectors.js';

const DEFAULT_BATCH_SIZE = 64;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 3;
const MAX_SERVER_MESSAGE_CHARS = 300;

/** Checks the config, then embeds one probe text to prove the server answers and to learn the dimensions. */
export async function createOpenAIProvider(config: OpenAIEmbeddingConfig): Promise<ProviderResult> {
  const problem = firstProblem(
    checkHttpUrl('openai baseUrl', config.baseUrl),
    checkNonEmptyString('openai model', config.model),
    config.apiKey === undefined ? undefined : checkNonEmptyString('openai apiKey', config.apiKey),
    checkOptionalInteger('openai dimensions', config.dimensions, 1),
    checkOptionalInteger('openai batchSize', config.batchSize, 1),
    checkOptionalInteger('openai timeoutMs', config.timeoutMs, 1),
    checkOptionalInteger('openai maxRetries', config.maxRetries, 0),
  );
  if (problem) return { provider: null, reason: `bad embedding config: ${problem}` };

  const endpoint = new EmbeddingsEndpoint(config);
  let dimensions: number;
  try {
    const [probe] = await endpoint.embedBatch(['dimension probe']);
    dimensions = (probe as Float32Array).length;
  } catch (error) {
    return { provider: null, reason: `embedding server not usable: ${errorMessage(error)}` };
  }
  if (config.dimensions !== undefined && dimensions !== config.dimensions) {
    return {
      provider: null,
      reason: `${endpoint.url} returned ${dimensions}-dimensional vectors for model "${config.model}", but dimensions is configured as ${config.dimensions}`,
    };
  }
  return {
    provider: new OpenAICompatibleProvider(
      endpoint,
      config.model,
      dimensions,
      config.batchSize ?? DEFAULT_BATCH_SIZE,
    ),
  };
}

class OpenAICompatibleProvider implements EmbeddingProvider {
  readonly id: string;

  constructor(
    private readonly endpoint: EmbeddingsEndpoint,
    model: string,
    readonly dimensions: number,
    private readonly batchSize: number,
  ) {
    this.id = `openai:${model}:${dimensions}`;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const batch of inBatches(texts, this.batchSize)) {
      for (const vector of await this.endpoint.embedBatch(batch, signal)) {
        if (vector.length !== this.dimensions) {
          throw new Error(
            `${this.endpoint.url} returned a ${vector.length}-dimensional vector, expected ${this.dimensions}`,
          );
        }
        vectors.push(vector);
      }
    }
    return vectors;
  }
}

type Attempt =
  | { ok: true; vectors: Float32Array[] }
  | { ok: false; retryable: boolean; problem: string; retryAfterMs?: number };

/** One POST /v1/embeddings per batch, with per-attempt timeout and retries on 429, 5xx, timeouts and network errors. */
class EmbeddingsEndpoint {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;

  constructor(private readonly config: OpenAIEmbeddingConfig) {
    this.url = embeddingsUrl(config.baseUrl);
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES;
  }

  async embedBatch(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    for (let retry = 0; ; retry++) {
      const attempt = await this.attempt(texts, signal);
      if (attempt.ok) return attempt.vectors;
      if (!attempt.retryable) {
        throw new Error(`embeddings request to ${this.url} was rejected: ${attempt.problem}`);
      }
      if (retry >= this.maxRetries) {
        throw new Error(
          `embeddings request to ${this.url} failed after ${retry + 1} attempt(s): ${attempt.problem}`,
        );
      }
      await pause(retryDelayMs(retry, attempt.retryAfterMs), signal);
    }
  }

  private async attempt(texts: string[], signal?: AbortSignal): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify(this.payload(texts)),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      body = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        return { ok: false, retryable: true, problem: `no answer within ${this.timeoutMs} ms` };
      }
      return { ok: false, retryable: true, problem: `network error: ${errorMessage(error)}` };
    }
    if (!response.ok) {
      return {
        ok: false,
        retryable: isRetryableStatus(response.status),
        problem: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}: ${serverMessage(body)}`,
        retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
      };
    }
    return { ok: true, vectors: parseEmbeddings(body, texts.length, this.url) };
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
    return headers;
  }

  private payload(texts: string[]): Record<string, unknown> {
    const payload: Record<string, unknown> = {
      model: this.config.model,
      input: texts,
      encoding_format: 'float',
    };
    if (this.config.dimensions !== undefined) payload.dimensions = this.config.dimensions;
    return payload;
  }
}

/** Accepts the server root ("http://host:11434") or, as OpenAI documents it, the /v1 root. */
function embeddingsUrl(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '');
  return root.endsWith('/v1') ? `${root}/embeddings` : `${root}/v1/embeddings`;
}

function parseEmbeddings(body: string, expected: number, url: string): Float32Array[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`${url} answered with invalid JSON: ${truncate(body)}`);
  }
  const data =
    typeof parsed === 'object' && parsed !== null ? (parsed as { data?: unknown }).data : undefined;
  if (!Array.isArray(data) || data.length !== expected) {
    throw new Error(
      `${url} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${expected} inputs`,
    );
  }
  const vectors = new Array<Float32Array>(expected);
  data.forEach((item: unknown, position) => {
    const entry: { index?: unknown; embedding?: unknown } =
      typeof item === 'object' && item !== null ? item : {};
    const index = entry.index ?? position;
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= expected ||
      vectors[index]
    ) {
      throw new Error(
        `${url} returned an embedding with a missing or duplicate index ${JSON.stringify(index)}`,
      );
    }
    vectors[index] = toUnitVector(entry.embedding, `${url} embedding ${index}`);
  });
  return vectors;
}

/** The error text from OpenAI ({error:{message}}), Ollama ({error}), vLLM ({message}) or a plain body. */
function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: unknown } | string;
      message?: unknown;
      detail?: unknown;
    };
    const candidates = [
      typeof parsed.error === 'object' ? parsed.error?.message : parsed.error,
      parsed.message,
      parsed.detail,
    ];
    const message = candidates.find((candidate) => typeof candidate === 'string' && candidate !== '');
    if (typeof message === 'string') return truncate(message);
  } catch {
    // not JSON: use the text itself
  }
  return body.trim() === '' ? '(empty body)' : truncate(body.trim());
}

function truncate(text: string): string {
  return text.length > MAX_SERVER_MESSAGE_CHARS ? `${text.slice(0, MAX_SERVER_MESSAGE_CHARS)}…` : text;
}
