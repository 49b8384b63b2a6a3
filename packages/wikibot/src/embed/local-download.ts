import { env, type FeatureExtractionPipeline, pipeline } from '@huggingface/transformers';
import { errorMessage } from './checks.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co/';
/** How long the hub may take to answer a HEAD request before we call it unreachable. */
const HUB_PROBE_TIMEOUT_MS = 10_000;

// Outside an allowed download below, transformers.js must never reach for the network.
env.allowRemoteModels = false;

/** transformers.js reads the hub address and the cache dir from its global `env` (its file-list lookup ignores the
 *  per-call cache_dir), so downloads run one at a time with those set. */
let downloadQueue: Promise<unknown> = Promise.resolve();

/** Fetches `model` from the hub into `<cacheDir>/<model>/` and loads it; throws a sentence naming the problem. */
export function downloadExtractor(
  model: string,
  cacheDir: string,
  hubUrl: string,
): Promise<FeatureExtractionPipeline> {
  const run = async (): Promise<FeatureExtractionPipeline> => {
    const host = hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/`;
    await assertHubReachable(host, model);
    const saved = {
      remoteHost: env.remoteHost,
      cacheDir: env.cacheDir,
      allowRemoteModels: env.allowRemoteModels,
    };
    Object.assign(env, { remoteHost: host, cacheDir, allowRemoteModels: true });
    try {
      return await pipeline('feature-extraction', model, {
        cache_dir: cacheDir,
        dtype: 'fp32',
        device: 'cpu',
      });
    } catch (error) {
      throw new Error(`downloading "${model}" from ${host} failed: ${errorMessage(error)}`);
    } finally {
      Object.assign(env, saved);
    }
  };
  const result = downloadQueue.then(run, run);
  downloadQueue = result.catch(() => undefined);
  return result;
}

async function assertHubReachable(host: string, model: string): Promise<void> {
  const url = new URL(`${model}/resolve/main/config.json`, host);
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(HUB_PROBE_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`the model hub ${host} is not reachable: ${errorMessage(error)}`);
  }
}
