import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  InvokeModelCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { checkNonEmptyString, checkOptionalInteger, errorMessage, firstProblem } from './checks.js';
import {
  type BedrockEmbeddingConfig,
  DEFAULT_BEDROCK_MODEL,
  type EmbeddingProvider,
  type ProviderResult,
} from './provider.js';
import { mapWithConcurrency, toUnitVector } from './vectors.js';

const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;
const DEFAULT_DIMENSIONS = 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 3;
/** Titan embeds one text per call; this many calls run at once. */
const CONCURRENT_CALLS = 8;

/** Checks the config, then embeds one probe text to prove credentials, region and model work.
 *  `clientOverrides` is for endpoints and credentials that do not come from the environment (tests, VPC endpoints). */
export async function createBedrockProvider(
  config: BedrockEmbeddingConfig,
  clientOverrides: BedrockRuntimeClientConfig = {},
): Promise<ProviderResult> {
  const dimensions: number = config.dimensions ?? DEFAULT_DIMENSIONS;
  const problem = firstProblem(
    checkNonEmptyString('bedrock region', config.region),
    config.model === undefined ? undefined : checkNonEmptyString('bedrock model', config.model),
    TITAN_V2_DIMENSIONS.some((allowed) => allowed === dimensions)
      ? undefined
      : `bedrock dimensions must be one of ${TITAN_V2_DIMENSIONS.join(', ')}, got ${JSON.stringify(config.dimensions)}`,
    checkOptionalInteger('bedrock timeoutMs', config.timeoutMs, 1),
    checkOptionalInteger('bedrock maxRetries', config.maxRetries, 0),
  );
  if (problem) return { provider: null, reason: `bad embedding config: ${problem}` };

  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new BedrockRuntimeClient({
    region: config.region,
    // The SDK's standard retry strategy: backoff with jitter on throttling, 5xx, timeouts and network errors.
    maxAttempts: (config.maxRetries ?? DEFAULT_MAX_RETRIES) + 1,
    retryMode: 'standard',
    // InvokeModel is plain request/response: HTTP/1.1 gets connect and request timeouts that throw, where the
    // client's default HTTP/2 handler (there for bidirectional streams) has only an idle-stream timeout.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
    }),
    ...clientOverrides,
  });
  const provider = new TitanEmbeddingProvider(client, config.model ?? DEFAULT_BEDROCK_MODEL, dimensions);
  try {
    await provider.embed(['dimension probe']);
  } catch (error) {
    client.destroy();
    return { provider: null, reason: `Bedrock embeddings not usable: ${errorMessage(error)}` };
  }
  return { provider };
}

class TitanEmbeddingProvider implements EmbeddingProvider {
  readonly id: string;

  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly model: string,
    readonly dimensions: number,
  ) {
    this.id = `bedrock:${model}:${dimensions}`;
  }

  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return mapWithConcurrency(texts, CONCURRENT_CALLS, (text) => this.embedOne(text, signal));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async embedOne(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const command = new InvokeModelCommand({
      modelId: this.model,
      contentType: 'application/json',
      accept: 'application/json',
      body: new TextEncoder().encode(
        JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true }),
      ),
    });
    let body: Uint8Array;
    try {
      ({ body } = await this.client.send(command, { abortSignal: signal }));
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new Error(
        `Bedrock InvokeModel ${this.model} failed${attemptsOf(error)}: ${describeAwsError(error)}`,
      );
    }
    const source = `Bedrock InvokeModel ${this.model}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new Error(`${source} answered with invalid JSON`);
    }
    const embedding =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { embedding?: unknown }).embedding
        : undefined;
    const vector = toUnitVector(embedding, source);
    if (vector.length !== this.dimensions) {
      throw new Error(`${source} returned ${vector.length} dimensions, expected ${this.dimensions}`);
    }
    return vector;
  }
}

function describeAwsError(error: unknown): string {
  return error instanceof Error && error.name !== 'Error'
    ? `${error.name}: ${errorMessage(error)}`
    : errorMessage(error);
}

function attemptsOf(error: unknown): string {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' ? ` after ${attempts} attempt(s)` : '';
}
