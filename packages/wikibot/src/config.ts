import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';

/**
 * Everything a user can configure, in one place: defaults, then a TOML file, then WIKIBOT_*
 * environment variables, then command-line flags. Nothing else reads process.env.
 */
const ConfigSchema = z
  .object({
    data_dir: z.string().min(1).default('./wikibot-data'),
    /** Where derived indexes live; defaults to the data dir. Point it at local disk when data is on NFS. */
    index_dir: z.string().min(1).optional(),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Public URL of this server, e.g. https://wiki.example.com (default http://host:port). */
    base_url: z.url().optional(),
    /** An API token with every scope on every wiki, for automation. */
    admin_token: z.string().min(16, 'admin_token must be at least 16 characters').optional(),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    wiki: z
      .object({
        link_style: z.enum(['title-page', 'page-title']).default('title-page'),
        max_page_bytes: z.coerce
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        max_attachment_bytes: z.coerce
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
      })
      .prefault({}),
    http: z
      .object({
        /** Largest request body outside attachment uploads. */
        max_body_bytes: z.coerce
          .number()
          .int()
          .positive()
          .default(2 * 1024 * 1024),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

export interface ConfigSources {
  /** Path of a TOML file; when absent, `<data_dir>/wikibot.toml` is read if it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, in the file's key names. */
  overrides?: Record<string, unknown>;
}

/** Environment variables and the key each sets. */
const ENV_KEYS: Record<string, string[]> = {
  WIKIBOT_DATA: ['data_dir'],
  WIKIBOT_INDEX_DIR: ['index_dir'],
  WIKIBOT_HOST: ['host'],
  WIKIBOT_PORT: ['port'],
  WIKIBOT_BASE_URL: ['base_url'],
  WIKIBOT_ADMIN_TOKEN: ['admin_token'],
  WIKIBOT_LOG_LEVEL: ['log_level'],
  WIKIBOT_LINK_STYLE: ['wiki', 'link_style'],
  WIKIBOT_MAX_PAGE_BYTES: ['wiki', 'max_page_bytes'],
  WIKIBOT_MAX_ATTACHMENT_BYTES: ['wiki', 'max_attachment_bytes'],
  WIKIBOT_MAX_BODY_BYTES: ['http', 'max_body_bytes'],
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const raw: Record<string, unknown> = {};
  const fromEnv: Record<string, unknown> = {};
  for (const [name, keys] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(fromEnv, keys, value);
  }
  const dataDir = String(sources.overrides?.data_dir ?? fromEnv.data_dir ?? 'wikibot-data');
  const file = sources.file ?? env.WIKIBOT_CONFIG ?? defaultFile(dataDir);
  if (file) merge(raw, readToml(file));
  merge(raw, fromEnv);
  merge(raw, sources.overrides ?? {});
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || '(root)';
    throw new ConfigError(`Invalid configuration: ${key}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  config.data_dir = resolve(config.data_dir);
  if (config.index_dir) config.index_dir = resolve(config.index_dir);
  return config;
}

/** The URL people and agents reach this server at. */
export function publicBaseUrl(config: Config, boundPort?: number): string {
  if (config.base_url) return config.base_url.replace(/\/+$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${boundPort ?? config.port}`;
}

function defaultFile(dataDir: string): string | undefined {
  const candidate = join(dataDir, 'wikibot.toml');
  return existsSync(candidate) ? candidate : undefined;
}

function readToml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file}: ${(error as Error).message}`);
  }
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`Invalid TOML in ${file}: ${(error as Error).message}`);
  }
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function merge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const existing = target[key];
    if (isObject(value) && isObject(existing)) merge(existing, value);
    else target[key] = isObject(value) ? structuredClone(value) : value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
