import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data directory (0700) and the platform store (0600) hold signing keys, cookie keys and
 * password hashes: create them private, and tighten existing ones that others may read (saying so).
 * SQLite gives its -wal and -shm files the database file's mode.
 */
export function keepPrivate(dir: string, file: string, warn: (message: string) => void): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700, warn);
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) tighten(path, 0o600, warn);
}

function tighten(path: string, allowed: number, warn: (message: string) => void): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & ~allowed) === 0) return;
  const wanted = mode & allowed;
  try {
    chmodSync(path, wanted);
    warn(`${path} was readable by others (mode ${octal(mode)}); changed to ${octal(wanted)}`);
  } catch (error) {
    warn(
      `${path} is readable by others (mode ${octal(mode)}) and could not be changed: ${(error as Error).message}`,
    );
  }
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;
