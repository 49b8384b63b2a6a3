import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GENERATOR = fileURLToPath(new URL('../fixtures/model/make_tiny_bert.py', import.meta.url));

/** Debian's python3-onnx installs for /usr/bin/python3, which may not be the first python3 on PATH (pyenv). */
export async function findPythonWithOnnx(): Promise<string | undefined> {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      await run(candidate, ['-c', 'import onnx, numpy']);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** Writes the tiny BERT model (64 dimensions, bag of words) into `dir`, laid out as on the hub. */
export async function makeTinyModel(python: string, dir: string, onnxName = 'model.onnx'): Promise<void> {
  await run(python, [GENERATOR, dir, '--onnx-name', onnxName]);
}

export const TINY_MODEL_DIMENSIONS = 64;
