import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage } from './checks.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co/';
/** What a model directory needs (see local-model-dir.ts), as the hub names the files. */
const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
/** How long the hub may take to answer before we call it unreachable. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Fetches `model`'s files from the hub (`<hub>/<model>/resolve/main/<file>`) into `dir`, each
 * through a temporary file renamed when complete, so an interrupted download leaves no half file.
 * Reports bytes fetched of the total; throws a sentence naming the problem.
 */
export async function downloadModel(
  model: string,
  dir: string,
  hubUrl: string,
  progress?: (loaded: number, total: number) => void,
): Promise<void> {
  const host = hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/`;
  const responses: { file: string; body: ReadableStream<Uint8Array> }[] = [];
  let total = 0;
  try {
    for (const file of MODEL_FILES) {
      const response = await answer(new URL(`${model}/resolve/main/${file}`, host), host);
      if (!response.ok || !response.body) {
        throw new Error(`the model hub ${host} answered ${response.status} for ${model}/${file}`);
      }
      total += Number(response.headers.get('content-length')) || 0;
      responses.push({ file, body: response.body });
    }
    let loaded = 0;
    progress?.(0, total);
    for (const { file, body } of responses) {
      const target = path.join(dir, ...file.split('/'));
      // Unique per process: replicas sharing the cache may fetch at once; the last rename wins whole.
      const partial = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.download`;
      await mkdir(path.dirname(target), { recursive: true });
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          loaded += chunk.length;
          progress?.(loaded, Math.max(total, loaded));
          done(null, chunk);
        },
      });
      try {
        await pipeline(Readable.fromWeb(body as never), count, createWriteStream(partial));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw new Error(`fetching ${model}/${file} from ${host} failed: ${errorMessage(error)}`);
      }
    }
  } finally {
    for (const { body } of responses) await body.cancel().catch(() => undefined);
  }
}

async function answer(url: URL, host: string): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('no answer within 10 s')), ANSWER_TIMEOUT_MS);
  try {
    return await fetch(url, { signal: controller.signal });
  } catch (error) {
    throw new Error(`the model hub ${host} is not reachable: ${errorMessage(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
