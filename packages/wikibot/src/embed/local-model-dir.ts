import { stat } from 'node:fs/promises';
import path from 'node:path';

/** transformers.js picks the ONNX file by dtype: fp32 → onnx/model.onnx, q8 → onnx/model_quantized.onnx. */
const ONNX_FILES = [
  { file: 'onnx/model.onnx', dtype: 'fp32' },
  { file: 'onnx/model_quantized.onnx', dtype: 'q8' },
] as const;
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

export type ModelDtype = (typeof ONNX_FILES)[number]['dtype'];

/** What a directory laid out as on the hub offers: the dtype to load, or a sentence naming what is missing. */
export async function inspectModelDir(dir: string): Promise<{ dtype: ModelDtype } | { missing: string }> {
  if (!(await isDirectory(dir))) return { missing: `directory ${dir} does not exist` };
  const missing: string[] = [];
  for (const file of REQUIRED_FILES) {
    if (!(await isFile(path.join(dir, file)))) missing.push(file);
  }
  let dtype: ModelDtype | undefined;
  for (const candidate of ONNX_FILES) {
    if (await isFile(path.join(dir, candidate.file))) {
      dtype = candidate.dtype;
      break;
    }
  }
  if (dtype === undefined) missing.push(ONNX_FILES.map((candidate) => candidate.file).join(' or '));
  return missing.length === 0 && dtype !== undefined
    ? { dtype }
    : { missing: `${dir} has no ${missing.join(', ')}` };
}

/** Hub ids ("owner/name" or "name") double as paths under the model cache, so they must not escape it. */
export function checkHubModelId(model: unknown): string | undefined {
  const valid =
    typeof model === 'string' &&
    /^([\w.-]+\/)?[\w.-]{1,96}$/.test(model) &&
    !model.split('/').some(isDotSegment);
  return valid ? undefined : `local model must be a hub id like "owner/name", got ${JSON.stringify(model)}`;
}

function isDotSegment(segment: string): boolean {
  return segment === '.' || segment === '..';
}

async function isDirectory(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined))?.isFile() ?? false;
}
