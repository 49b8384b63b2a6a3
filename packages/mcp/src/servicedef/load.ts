import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write.js';
import { formatServiceDef, parseServiceDef } from './toml.js';
import type { ServiceDef } from './types.js';
import { ServiceDefError } from './validate.js';

export function serviceDefPath(dir: string, name: string): string {
  return join(dir, `${name}.toml`);
}

/** Loads one definition file; its `name` must match the file name. */
export async function loadServiceDef(path: string): Promise<ServiceDef> {
  const def = parseServiceDef(await readFile(path, 'utf8'), path);
  const stem = basename(path, '.toml');
  if (def.name !== stem)
    throw new ServiceDefError([`name "${def.name}" does not match the file name ${stem}.toml`], path);
  return def;
}

/** Loads the definition of `name` from the services directory. */
export async function loadService(dir: string, name: string): Promise<ServiceDef> {
  const path = serviceDefPath(dir, name);
  try {
    return await loadServiceDef(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`no service definition for "${name}" (expected ${path})`);
    }
    throw error;
  }
}

/** Every `*.toml` definition in `dir`, by name. Throws with every bad file's problems at once. */
export async function loadAll(dir: string): Promise<ServiceDef[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.toml') && !file.startsWith('.')).sort();
  const defs: ServiceDef[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      defs.push(await loadServiceDef(join(dir, file)));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ServiceDefError(problems, dir);
  return defs;
}

/** Writes `<dir>/<name>.toml` atomically. */
export async function writeServiceDef(dir: string, def: ServiceDef): Promise<string> {
  const path = serviceDefPath(dir, def.name);
  await writeFileAtomic(path, formatServiceDef(def));
  return path;
}
