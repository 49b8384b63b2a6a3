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

export interface LoadedDefinitions {
  /** The definitions that load, sorted by file name. */
  defs: ServiceDef[];
  /** One message per file that does not, naming the file and every problem in it. */
  problems: string[];
}

/** Every `*.toml` definition in `dir`; a bad file is reported and does not hide the good ones. */
export async function loadAll(dir: string): Promise<LoadedDefinitions> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.toml') && !file.startsWith('.')).sort();
  const loaded: LoadedDefinitions = { defs: [], problems: [] };
  for (const file of files) {
    try {
      loaded.defs.push(await loadServiceDef(join(dir, file)));
    } catch (error) {
      loaded.problems.push((error as Error).message);
    }
  }
  return loaded;
}

/** Writes `<dir>/<name>.toml` atomically. */
export async function writeServiceDef(dir: string, def: ServiceDef): Promise<string> {
  const path = serviceDefPath(dir, def.name);
  await writeFileAtomic(path, formatServiceDef(def));
  return path;
}
