import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write.js';

/** Saves the token with mode 0600 (its directory 0700 when created). */
export async function saveToken(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${token}\n`, 0o600);
}

/** The saved token; a missing file says to run `mcp login`. */
export async function readToken(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`no token at ${path}: run "mcp login" first`);
    throw error;
  }
  const token = text.trim();
  if (token === '') throw new Error(`token file ${path} is empty: run "mcp login"`);
  return token;
}
