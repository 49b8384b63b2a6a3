import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from './registry.js';

/** `2026-11-21T02:00:07.123Z` → `20261121T020007Z` */
function stamp(time: Date): string {
  return time
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Writes a timestamped copy of the registry (`mcp-<UTC time>.db`, mode 0600) into `backupsDir` with
 * VACUUM INTO, which is consistent while the agent keeps writing. Returns the file written.
 */
export function snapshotRegistry(registry: Registry, backupsDir: string, time = new Date()): string {
  mkdirSync(backupsDir, { recursive: true, mode: 0o700 });
  const base = `mcp-${stamp(time)}`;
  let path = join(backupsDir, `${base}.db`);
  for (let n = 1; existsSync(path); n++) path = join(backupsDir, `${base}-${n}.db`);
  registry.snapshot(path);
  chmodSync(path, 0o600);
  return path;
}
