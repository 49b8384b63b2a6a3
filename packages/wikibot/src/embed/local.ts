import path from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import {
  checkHttpUrl,
  checkNonEmptyString,
  checkOptionalInteger,
  errorMessage,
  firstProblem,
} from './checks.js';
import { checkHubModelId, inspectModelDir } from './local-model-dir.js';
import {
  DEFAULT_LOCAL_MODEL,
  type EmbeddingProvider,
  type LocalEmbeddingConfig,
  type ProviderHooks,
  type ProviderResult,
} from './provider.js';
import { inBatches } from './vectors.js';

const DEFAULT_BATCH_SIZE = 32;

/** Loads the model from `modelDir`, else from `<cacheDir>/<model>/`, downloading it there first when allowed. */
export async function createLocalProvider(
  config: LocalEmbeddingConfig,
  hooks: ProviderHooks = {},
): Promise<ProviderResult> {
  const model = config.model ?? DEFAULT_LOCAL_MODEL;
  const problem = firstProblem(
    checkHubModelId(model),
    config.modelDir === undefined
      ? checkNonEmptyString('local cacheDir', config.cacheDir)
      : checkNonEmptyString('local modelDir', config.modelDir),
    checkOptionalInteger('local batchSize', config.batchSize, 1),
    config.hubUrl === undefined ? undefined : checkHttpUrl('local hubUrl', config.hubUrl),
  );
  if (problem) return { provider: null, reason: `bad embedding config: ${problem}` };

  const dir =
    config.modelDir === undefined
      ? path.resolve(config.cacheDir, ...model.split('/'))
      : path.resolve(config.modelDir);
  let found = await inspectModelDir(dir);
  if (!('dtype' in found)) {
    if (config.modelDir !== undefined) {
      return { provider: null, reason: `embedding model directory not usable: ${found.missing}` };
    }
    if (!config.allowDownload) {
      return {
        provider: null,
        reason: `embedding model "${model}" is not in the model cache (${found.missing}) and downloading is off (embedding.allow_download = false)`,
      };
    }
    try {
      const { DEFAULT_HUB_URL, downloadModel } = await import('./local-download.js');
      await downloadModel(model, dir, config.hubUrl ?? DEFAULT_HUB_URL, hooks.downloadProgress);
    } catch (error) {
      return {
        provider: null,
        reason: `embedding model "${model}" could not be downloaded: ${errorMessage(error)}`,
      };
    }
    found = await inspectModelDir(dir);
    if (!('dtype' in found)) {
      return {
        provider: null,
        reason: `embedding model "${model}" was downloaded incomplete: ${found.missing}`,
      };
    }
  }
  let extractor: FeatureExtractionPipeline;
  try {
    // transformers.js (and onnxruntime) load only once there is a model to run: importing them
    // costs half a second of CPU that a process without a model should not pay. A directory path
    // is no hub id, so transformers.js stays off the network.
    const { pipeline } = await import('@huggingface/transformers');
    extractor = await pipeline('feature-extraction', dir, {
      local_files_only: true,
      dtype: found.dtype,
      device: 'cpu',
    });
  } catch (error) {
    return {
      provider: null,
      reason: `embedding model "${model}" from ${dir} failed to load: ${errorMessage(error)}`,
    };
  }

  try {
    const [probe] = await extract(extractor, ['dimension probe']);
    const dimensions = (probe as Float32Array).length;
    return {
      provider: new LocalProvider(extractor, model, dimensions, config.batchSize ?? DEFAULT_BATCH_SIZE),
    };
  } catch (error) {
    await extractor.dispose();
    return {
      provider: null,
      reason: `embedding model "${model}" from ${dir} failed to run: ${errorMessage(error)}`,
    };
  }
}

class LocalProvider implements EmbeddingProvider {
  readonly id: string;
  private closed = false;

  constructor(
    private readonly extractor: FeatureExtractionPipeline,
    model: string,
    readonly dimensions: number,
    private readonly batchSize: number,
  ) {
    this.id = `local:${model}:${dimensions}`;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const batch of inBatches(texts, this.batchSize)) {
      signal?.throwIfAborted();
      if (this.closed) throw new Error(`embedding provider ${this.id} is closed`);
      vectors.push(...(await extract(this.extractor, batch)));
    }
    return vectors;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.extractor.dispose();
  }
}

/** Mean pooling over the attention mask, then L2 normalisation: the sentence-transformers recipe. */
async function extract(extractor: FeatureExtractionPipeline, texts: string[]): Promise<Float32Array[]> {
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  const [rows, dimensions] = output.dims;
  if (!(output.data instanceof Float32Array) || rows !== texts.length || dimensions === undefined) {
    throw new Error(`model output has unexpected shape [${output.dims.join(', ')}] or type ${output.type}`);
  }
  const data = output.data;
  return Array.from({ length: rows }, (_, row) => data.slice(row * dimensions, (row + 1) * dimensions));
}
