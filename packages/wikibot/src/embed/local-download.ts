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
  // Whole responses, not just their bodies: Node's fetch cancels the body of a Response that is
  // garbage-collected, and the later files are fetched before the first is read.
  const responses: { file: string; response: Response }[] = [];
  let total = 0;
  try {
    for (const file of MODEL_FILES) {
      const response = await answer(new URL(`${model}/resolve/main/${file}`, host), host);
      if (!response.ok || !response.body) {
        throw new Error(`the model hub ${host} answered ${response.status} for ${model}/${file}`);
      }
      total += Number(response.headers.get('content-length')) || 0;
      responses.push({ file, response });
    }
    let loaded = 0;
    progress?.(0, total);
    for (const { file, response } of responses) {
      const target = path.join(dir, ...file.split('/'));
      // Unique per process: replicas sharing the cache may fetch at once; the last rename wins whole.
      const partial = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.download`;
      await mkdir(path.dirname(target), { recursive: true });
      let fileBytes = 0;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          fileBytes += chunk.length;
          loaded += chunk.length;
          progress?.(loaded, Math.max(total, loaded));
          done(null, chunk);
        },
      });
      try {
        await pipeline(Readable.fromWeb(response.body as never), count, createWriteStream(partial));
        // A cancelled body ends quietly; content-length counts encoded bytes, so compare only unencoded.
        const expected = Number(response.headers.get('content-length'));
        if (expected && !response.headers.has('content-encoding') && fileBytes !== expected) {
          throw new Error(`the hub sent ${fileBytes} of ${expected} bytes`);
        }
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw new Error(`fetching ${model}/${file} from ${host} failed: ${errorMessage(error)}`);
      }
    }
  } finally {
    for (const { response } of responses) await response.body?.cancel().catch(() => undefined);
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
