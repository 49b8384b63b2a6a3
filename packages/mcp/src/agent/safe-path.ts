import { lstat, mkdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** A path that would leave the service's directory, or cannot be used. */
export class PathRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathRefusedError';
  }
}

/** Part of the path does not exist (when reading). */
export class PathMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathMissingError';
  }
}

/** Splits a relative path into segments, refusing absolute paths, `..`, empty paths and NUL bytes. */
export function relativeSegments(path: string): string[] {
  if (path === '' || path.includes('\0')) throw new PathRefusedError('path is empty or contains a NUL byte');
  if (path.startsWith('/'))
    throw new PathRefusedError(`path "${path}" must be relative to the service directory`);
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new PathRefusedError(`path "${path}" must not contain ".."`);
  if (segments.length === 0) throw new PathRefusedError(`path "${path}" names no file`);
  return segments;
}

function inside(base: string, path: string): boolean {
  return path === base || path.startsWith(base + sep);
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Follows a symlink, refusing one that is dangling or leads outside `base`. */
async function followInside(base: string, link: string, shown: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(link);
  } catch {
    throw new PathRefusedError(`"${shown}" is a dangling symlink`);
  }
  if (!inside(base, target))
    throw new PathRefusedError(`"${shown}" is a symlink that leads outside the service directory`);
  return target;
}

/**
 * Resolves `<root>/<service>/<path>` to the real file it names, never leaving the service directory
 * through `..` or a symlink. With `create`, the service directory and missing intermediate directories
 * are created (after every existing one was checked). Returns the real path of the file (which may not
 * exist yet).
 */
export async function resolveServicePath(
  root: string,
  service: string,
  path: string,
  create: boolean,
): Promise<string> {
  const segments = relativeSegments(path);
  const serviceDir = join(root, service);
  if (create) await mkdir(serviceDir, { recursive: true, mode: 0o755 });
  let base: string;
  try {
    base = await realpath(serviceDir);
  } catch {
    throw new PathMissingError(`service directory ${serviceDir} does not exist`);
  }
  let current = base;
  const shown: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    shown.push(segment);
    const next = join(current, segment);
    const stat = await lstatOrUndefined(next);
    if (!stat) {
      if (!create) throw new PathMissingError(`"${shown.join('/')}" does not exist`);
      await mkdir(next, { mode: 0o755 });
      current = next;
    } else if (stat.isSymbolicLink()) {
      current = await followInside(base, next, shown.join('/'));
    } else if (stat.isDirectory()) {
      current = next;
    } else {
      throw new PathRefusedError(`"${shown.join('/')}" is not a directory`);
    }
  }
  const file = join(current, segments[segments.length - 1] ?? '');
  const stat = await lstatOrUndefined(file);
  const target = stat?.isSymbolicLink() ? await followInside(base, file, path) : file;
  const targetStat = stat?.isSymbolicLink() ? await lstatOrUndefined(target) : stat;
  if (targetStat?.isDirectory()) throw new PathRefusedError(`"${path}" is a directory`);
  return target;
}
