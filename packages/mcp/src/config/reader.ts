import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { parseDuration } from './duration.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads and parses a TOML config file; a missing or malformed file is a ConfigError naming it. */
export async function readTomlFile(path: string): Promise<Table> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `config file ${path} not found` : `cannot read ${path}: ${code}`,
    );
  }
  try {
    return parse(text) as Table;
  } catch (error) {
    throw new ConfigError(`${path}: invalid TOML: ${(error as Error).message}`);
  }
}

/** Expands `~/` and resolves a relative path against `base`. */
export function resolvePath(value: string, base: string): string {
  if (value === '~') return homedir();
  if (value.startsWith('~/')) return resolve(homedir(), value.slice(2));
  return isAbsolute(value) ? value : resolve(base, value);
}

/**
 * Typed access to `[section] key` values of a parsed TOML document, with an environment override
 * `<PREFIX><SECTION>_<KEY>` for each. Problems (missing required keys, wrong types) are collected and
 * reported together by `finish()`, each naming its key.
 */
export class ConfigReader {
  private readonly missing: string[] = [];
  private readonly invalid: string[] = [];
  private readonly baseDir: string;

  constructor(
    private readonly doc: Table,
    private readonly env: Env,
    private readonly envPrefix: string,
    private readonly source: string,
  ) {
    this.baseDir = dirname(source);
  }

  envName(section: string, key: string): string {
    return `${this.envPrefix}${section}_${key}`.toUpperCase();
  }

  private label(section: string, key: string): string {
    return `[${section}] ${key} (or ${this.envName(section, key)})`;
  }

  section(section: string): Table | undefined {
    const value = this.doc[section];
    if (value === undefined) return undefined;
    if (!isTable(value)) {
      this.invalid.push(`[${section}] must be a table`);
      return undefined;
    }
    return value;
  }

  hasSection(section: string): boolean {
    return this.doc[section] !== undefined;
  }

  /** The raw value: the environment wins over the file. */
  private raw(section: string, key: string): { value: unknown; fromEnv: boolean } {
    const fromEnv = this.env[this.envName(section, key)];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, fromEnv: true };
    return { value: this.section(section)?.[key], fromEnv: false };
  }

  string(section: string, key: string, fallback?: string): string {
    const { value } = this.raw(section, key);
    if (value === undefined || value === '') {
      if (fallback === undefined) this.missing.push(this.label(section, key));
      return fallback ?? '';
    }
    if (typeof value !== 'string') {
      this.invalid.push(`[${section}] ${key} must be a string`);
      return '';
    }
    return value;
  }

  optionalString(section: string, key: string): string | undefined {
    const value = this.string(section, key, '');
    return value === '' ? undefined : value;
  }

  /** A file path: `~` expanded; relative paths resolve against the config file (env: the cwd). */
  path(section: string, key: string, fallback?: string): string {
    const { fromEnv } = this.raw(section, key);
    const value = this.string(section, key, fallback);
    if (value === '') return '';
    return resolvePath(value, fromEnv ? process.cwd() : this.baseDir);
  }

  optionalPath(section: string, key: string): string | undefined {
    const value = this.path(section, key, '');
    return value === '' ? undefined : value;
  }

  int(section: string, key: string, fallback: number, min = 0): number {
    const { value } = this.raw(section, key);
    if (value === undefined) return fallback;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min) {
      this.invalid.push(`[${section}] ${key} must be an integer ≥ ${min}`);
      return fallback;
    }
    return number;
  }

  /** Milliseconds, from `60s`/`10m`/`30d` or a number of seconds. */
  duration(section: string, key: string, fallbackMs: number): number {
    const { value } = this.raw(section, key);
    if (value === undefined) return fallbackMs;
    const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined;
    if (ms === undefined || ms <= 0) {
      this.invalid.push(`[${section}] ${key} must be a duration such as "60s", "10m" or "30d"`);
      return fallbackMs;
    }
    return ms;
  }

  /** An array of strings; from the environment as a JSON array or whitespace-separated words. */
  stringList(section: string, key: string): string[] {
    const { value, fromEnv } = this.raw(section, key);
    if (value === undefined) return [];
    let list: unknown = value;
    if (fromEnv && typeof value === 'string') {
      try {
        list = value.trim().startsWith('[') ? JSON.parse(value) : value.trim().split(/\s+/);
      } catch {
        list = undefined;
      }
    }
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
      this.invalid.push(`[${section}] ${key} must be an array of strings`);
      return [];
    }
    return list as string[];
  }

  problem(message: string): void {
    this.invalid.push(message);
  }

  /** Throws one ConfigError naming every missing required key and every invalid value. */
  finish(): void {
    const parts: string[] = [];
    if (this.missing.length > 0) parts.push(`missing required key ${this.missing.join(', ')}`);
    parts.push(...this.invalid);
    if (parts.length > 0) throw new ConfigError(`${this.source}: ${parts.join('; ')}`);
  }
}
