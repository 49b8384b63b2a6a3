import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import type { EmbeddingConfig } from './embed/provider.js';

/** A boolean that also accepts the strings environment variables carry ("true", "false", "1", "0"). */
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

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
    /** Server processes sharing the port (`serve`); 0: one per CPU core, 1: a single process. */
    workers: z.coerce.number().int().min(0).max(1024).default(0),
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
    auth: z
      .object({
        /** How long a browser session lasts after signing in. */
        session_hours: z.coerce
          .number()
          .positive()
          .default(7 * 24),
        /** Failed sign-ins allowed per account (and 4× that per client address) within the window. */
        login_max_failures: z.coerce.number().int().positive().default(5),
        login_window_minutes: z.coerce.number().positive().default(15),
        /** The built-in OAuth 2.1 authorization server. */
        oauth: z
          .object({
            enabled: flag.default(true),
            access_token_minutes: z.coerce.number().int().positive().default(60),
            /** Refresh tokens rotate on every use; an unused one lapses after this many days. */
            refresh_token_days: z.coerce.number().int().positive().default(30),
            dynamic_registration: flag.default(true),
            client_metadata_documents: flag.default(true),
            /** Let Client ID Metadata Documents live on private or loopback addresses (development only). */
            client_metadata_private_hosts: flag.default(false),
          })
          .strict()
          .prefault({}),
        /** External authorization servers whose access tokens the wikis accept. */
        issuers: z
          .array(
            z
              .object({
                issuer: z.url(),
                /** Skips discovery when set. */
                jwks_uri: z.url().optional(),
                /** Claim holding the granted scopes (space-separated string or array). */
                scope_claim: z.string().min(1).default('scope'),
                /** Create an account (with no roles) for a subject seen for the first time. */
                auto_provision: flag.default(true),
              })
              .strict(),
          )
          .default([]),
        /** "Sign in with …": upstream OpenID Connect providers offered on the login page. */
        upstream: z
          .array(
            z
              .object({
                /** Short name used in URLs, e.g. "keycloak". */
                name: z
                  .string()
                  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be lowercase letters, digits and -'),
                display_name: z.string().min(1).optional(),
                issuer: z.url(),
                client_id: z.string().min(1),
                client_secret: z.string().min(1).optional(),
                scopes: z.string().min(1).default('openid email profile'),
              })
              .strict(),
          )
          .default([]),
        /** Trust identity headers set by an authenticating reverse proxy (browser requests only). */
        proxy: z
          .object({
            enabled: flag.default(false),
            user_header: z.string().min(1).default('X-Forwarded-User'),
            email_header: z.string().min(1).default('X-Forwarded-Email'),
            name_header: z.string().min(1).default('X-Forwarded-Preferred-Username'),
            /** Peer addresses allowed to set the headers; from anywhere else they are ignored. */
            trusted_addresses: z.array(z.string().min(1)).default(['127.0.0.1', '::1', '::ffff:127.0.0.1']),
          })
          .strict()
          .prefault({}),
        /** PEM file of extra CA certificates trusted when fetching issuer metadata, keys and client documents. */
        ca_file: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** The embedding model behind semantic and hybrid search (see embeddingConfig). */
    embedding: z
      .object({
        provider: z.enum(['none', 'local', 'openai', 'bedrock']).default('local'),
        /** local: hub id (default Xenova/all-MiniLM-L6-v2); openai: model name; bedrock: model id. */
        model: z.string().min(1).optional(),
        /** local: a model directory laid out as on the hub (config.json, tokenizer.json, onnx/model.onnx). */
        model_dir: z.string().min(1).optional(),
        /** local: the model cache; default <data_dir>/models. */
        cache_dir: z.string().min(1).optional(),
        /** local: fetch a model missing from the cache from the hub (or hub_url). */
        allow_download: flag.default(false),
        hub_url: z.url().optional(),
        /** openai: server root of an OpenAI-compatible /v1/embeddings (OpenAI, Ollama, vLLM). */
        base_url: z.url().optional(),
        api_key: z.string().min(1).optional(),
        /** bedrock: AWS region. */
        region: z.string().min(1).optional(),
        dimensions: z.coerce.number().int().positive().optional(),
        batch_size: z.coerce.number().int().positive().optional(),
        timeout_ms: z.coerce.number().int().positive().optional(),
        max_retries: z.coerce.number().int().min(0).optional(),
      })
      .strict()
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
  WIKIBOT_WORKERS: ['workers'],
  WIKIBOT_BASE_URL: ['base_url'],
  WIKIBOT_ADMIN_TOKEN: ['admin_token'],
  WIKIBOT_LOG_LEVEL: ['log_level'],
  WIKIBOT_LINK_STYLE: ['wiki', 'link_style'],
  WIKIBOT_MAX_PAGE_BYTES: ['wiki', 'max_page_bytes'],
  WIKIBOT_MAX_ATTACHMENT_BYTES: ['wiki', 'max_attachment_bytes'],
  WIKIBOT_MAX_BODY_BYTES: ['http', 'max_body_bytes'],
  WIKIBOT_OAUTH_ENABLED: ['auth', 'oauth', 'enabled'],
  WIKIBOT_AUTH_PROXY_ENABLED: ['auth', 'proxy', 'enabled'],
  WIKIBOT_AUTH_PROXY_USER_HEADER: ['auth', 'proxy', 'user_header'],
  WIKIBOT_AUTH_CA_FILE: ['auth', 'ca_file'],
  WIKIBOT_EMBEDDING_PROVIDER: ['embedding', 'provider'],
  WIKIBOT_EMBEDDING_MODEL: ['embedding', 'model'],
  WIKIBOT_EMBEDDING_MODEL_DIR: ['embedding', 'model_dir'],
  WIKIBOT_EMBEDDING_CACHE_DIR: ['embedding', 'cache_dir'],
  WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD: ['embedding', 'allow_download'],
  WIKIBOT_EMBEDDING_HUB_URL: ['embedding', 'hub_url'],
  WIKIBOT_EMBEDDING_BASE_URL: ['embedding', 'base_url'],
  WIKIBOT_EMBEDDING_API_KEY: ['embedding', 'api_key'],
  WIKIBOT_EMBEDDING_REGION: ['embedding', 'region'],
  WIKIBOT_EMBEDDING_DIMENSIONS: ['embedding', 'dimensions'],
  WIKIBOT_EMBEDDING_BATCH_SIZE: ['embedding', 'batch_size'],
  WIKIBOT_EMBEDDING_TIMEOUT_MS: ['embedding', 'timeout_ms'],
  WIKIBOT_EMBEDDING_MAX_RETRIES: ['embedding', 'max_retries'],
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

/**
 * The embedding provider's configuration. Incomplete settings (an openai provider without a model)
 * are not refused here: the provider names the problem, and semantic search reports it with a 503.
 */
export function embeddingConfig(config: Config): EmbeddingConfig {
  const e = config.embedding;
  const tuning = {
    ...(e.timeout_ms !== undefined ? { timeoutMs: e.timeout_ms } : {}),
    ...(e.max_retries !== undefined ? { maxRetries: e.max_retries } : {}),
  };
  switch (e.provider) {
    case 'none':
      return { provider: 'none' };
    case 'local':
      return {
        provider: 'local',
        cacheDir: resolve(e.cache_dir ?? join(config.data_dir, 'models')),
        allowDownload: e.allow_download,
        ...(e.model ? { model: e.model } : {}),
        ...(e.model_dir ? { modelDir: resolve(e.model_dir) } : {}),
        ...(e.hub_url ? { hubUrl: e.hub_url } : {}),
        ...(e.batch_size ? { batchSize: e.batch_size } : {}),
      };
    case 'openai':
      return {
        provider: 'openai',
        baseUrl: e.base_url ?? '',
        model: e.model ?? '',
        ...(e.api_key ? { apiKey: e.api_key } : {}),
        ...(e.dimensions ? { dimensions: e.dimensions } : {}),
        ...(e.batch_size ? { batchSize: e.batch_size } : {}),
        ...tuning,
      };
    case 'bedrock':
      return {
        provider: 'bedrock',
        region: e.region ?? '',
        ...(e.model ? { model: e.model } : {}),
        ...(e.dimensions ? { dimensions: e.dimensions as 256 | 512 | 1024 } : {}),
        ...tuning,
      };
  }
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
