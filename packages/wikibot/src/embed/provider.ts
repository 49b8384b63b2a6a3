import { errorMessage } from './checks.js';

export interface EmbeddingProvider {
  /** Stable id incl. model and dimensions, e.g. "local:Xenova/all-MiniLM-L6-v2:384" — stored with vectors so a
   *  model change triggers re-embedding. */
  readonly id: string;
  readonly dimensions: number;
  /** L2-normalised vectors, one per input, same order. Batches internally. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  close?(): Promise<void>;
}

export const DEFAULT_LOCAL_MODEL = 'Xenova/all-MiniLM-L6-v2';
export const DEFAULT_BEDROCK_MODEL = 'amazon.titan-embed-text-v2:0';

export interface LocalEmbeddingConfig {
  provider: 'local';
  /** Hub model id; default "Xenova/all-MiniLM-L6-v2". Also names the model in the provider id. */
  model?: string;
  /** A directory laid out as on the hub (config.json, tokenizer*.json, onnx/model.onnx or model_quantized.onnx). */
  modelDir?: string;
  /** The data dir's model cache; the model lives in `<cacheDir>/<model>/` when no modelDir is set. */
  cacheDir: string;
  /** Fetch a model missing from the cache from the hub. Default false (the configuration's default is true). */
  allowDownload?: boolean;
  /** Hub (or mirror) to download from; default "https://huggingface.co/". */
  hubUrl?: string;
  batchSize?: number;
}

export interface OpenAIEmbeddingConfig {
  provider: 'openai';
  /** Server root, e.g. "http://localhost:11434" (Ollama); requests go to `{baseUrl}/v1/embeddings`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Requested vector size (sent as `dimensions`); learned from the server when unset. */
  dimensions?: number;
  batchSize?: number;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface BedrockEmbeddingConfig {
  provider: 'bedrock';
  region: string;
  /** Default "amazon.titan-embed-text-v2:0"; the request body is Titan Text Embeddings V2's. */
  model?: string;
  dimensions?: 256 | 512 | 1024;
  timeoutMs?: number;
  maxRetries?: number;
}

export type EmbeddingConfig =
  | { provider: 'none' }
  | LocalEmbeddingConfig
  | OpenAIEmbeddingConfig
  | BedrockEmbeddingConfig;

export type ProviderResult = { provider: EmbeddingProvider } | { provider: null; reason: string };

export interface ProviderHooks {
  /** While a missing local model downloads: bytes fetched so far, of the total known so far. */
  downloadProgress?: (loaded: number, total: number) => void;
}

/** Returns a ready provider, or a reason why none is usable (missing model dir, no network, bad config) — never throws
 *  for "model not available"; semantic search will answer 503 with that reason. */
export async function createEmbeddingProvider(
  config: EmbeddingConfig,
  hooks: ProviderHooks = {},
): Promise<ProviderResult> {
  try {
    switch (config.provider) {
      case 'none':
        return { provider: null, reason: 'semantic search is disabled (embedding provider "none")' };
      case 'local': {
        // Imported on demand so that other providers never load onnxruntime.
        const { createLocalProvider } = await import('./local.js');
        return await createLocalProvider(config, hooks);
      }
      case 'openai': {
        const { createOpenAIProvider } = await import('./openai.js');
        return await createOpenAIProvider(config);
      }
      case 'bedrock': {
        const { createBedrockProvider } = await import('./bedrock.js');
        return await createBedrockProvider(config);
      }
      default: {
        const unknown: { provider?: unknown } = config;
        return {
          provider: null,
          reason: `unknown embedding provider ${JSON.stringify(unknown.provider)} (expected none, local, openai or bedrock)`,
        };
      }
    }
  } catch (error) {
    return {
      provider: null,
      reason: `embedding provider "${config.provider}" failed to start: ${errorMessage(error)}`,
    };
  }
}
