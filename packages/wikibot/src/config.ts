import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { DEFAULT_RENDER_LIMITS, type RenderLimits } from './domain/markdown/limits.js';
import type { EmbeddingConfig } from './embed/provider.js';
import { DEFAULT_SEARCH_LIMITS, type SearchLimits } from './wiki/searchLimits.js';

/** A boolean that also accepts the strings environment variables carry ("true", "false", "1", "0"). */
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

/** A limit on a count: a whole number of at least 1, with its default. */
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A list that environment variables give as comma-separated text. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );

/** An IP address, or a network in CIDR notation. */
const hostName = (message: string) =>
  z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, message);

const addressOrNetwork = z.string().refine((text) => {
  const [address = '', bits, ...rest] = text.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}, 'must be an IP address or a network such as 10.0.0.0/8');

/**
 * Everything a user can configure, in one place: defaults, then a TOML file, then WIKIBOT_*
 * environment variables, then command-line flags. Nothing else reads process.env.
 */
const ConfigSchema = z
  .object({
    data_dir: z.string().min(1).default('./wikibot-data'),
    /** Where derived indexes live; defaults to the data dir. Point it at local disk when data is on NFS. */
    index_dir: z.string().min(1).optional(),
    /**
     * Keep a snapshot of each wiki's index next to its repository, written after a rebuild and then
     * every this many index advances; a missing index (a fresh instance's /tmp) is seeded from it.
     * 0: no snapshots.
     */
    index_snapshot_every: z.coerce.number().int().min(0).default(0),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Server processes sharing the port (`serve`); 0: one per CPU core, 1: a single process. */
    workers: z.coerce.number().int().min(0).max(1024).default(0),
    /** Public URL of this server, e.g. https://wiki.example.com (default http://host:port). */
    base_url: z.url().optional(),
    /** An API token with every scope on every wiki, for automation. */
    admin_token: z.string().min(16, 'admin_token must be at least 16 characters').optional(),
    /**
     * The first admin's password on a fresh installation, for deployments nobody watches start
     * (instead of a one-time password printed to the terminal).
     */
    admin_password: z.string().min(10, 'admin_password must be at least 10 characters').optional(),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The platform store: accounts, tokens, sessions, OAuth state, keys, the wiki registry. */
    store: z
      .object({
        /** postgres://user:password@host:5432/db for a store replicas share; unset: <data_dir>/platform.sqlite. */
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
          .optional(),
        /** Connections each process keeps open to PostgreSQL at most. */
        pool_size: z.coerce.number().int().positive().default(10),
      })
      .strict()
      .prefault({}),
    /** Who may get an account, and how long deleted wikis stay restorable (docs/platform-api.md). */
    platform: z
      .object({
        /**
         * closed: only platform admins make accounts; invite-only: an invite also makes one for its
         * taker; open: anyone may sign up; sso: accounts come only from the configured upstream sign-in.
         */
        signup: z.enum(['closed', 'invite-only', 'open', 'sso']).default('closed'),
        /** E-mail domains a new self-made account must have (e.g. example.org); empty: any. */
        signup_email_domains: list(
          z
            .string()
            .trim()
            .toLowerCase()
            .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain such as example.org'),
        ).default([]),
        /** A deleted wiki can be restored for this many days, then it is purged. */
        deleted_wiki_retention_days: z.coerce.number().int().min(0).default(30),
        /** Wikis one account may own (platform admins: no limit); 0: no limit. */
        max_wikis_per_user: z.coerce.number().int().min(0).default(0),
        /** How long an invitation link stays valid by default. */
        invite_days: z.coerce.number().int().positive().max(365).default(7),
      })
      .strict()
      .prefault({}),
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
        /**
         * Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For and X-Forwarded-Host are
         * believed: the client address (sign-in and registration throttling) and the requested host.
         */
        trusted_proxies: list(addressOrNetwork).default([]),
        /** Host mode (SPEC §8): each wiki at `<slug>.<wiki_domain>` instead of `/w/<slug>/` on the base URL. */
        wiki_host_mode: flag.default(false),
        /** The domain wiki hosts are under in host mode (default: the base URL's host name). */
        wiki_domain: hostName('a host name, e.g. wikis.example.com').optional(),
        /**
         * Host mode: the `Domain` of the session cookie, so one sign-in holds on the base URL and every
         * wiki host under it (docs/security.md). Unset: each host keeps its own sessions.
         */
        cookie_domain: hostName('a domain, e.g. wikis.example.com').optional(),
        /** On SIGTERM/SIGINT, how long requests in flight may take to finish before the process exits anyway. */
        shutdown_grace_seconds: z.coerce.number().positive().max(600).default(10),
      })
      .prefault({}),
    auth: z
      .object({
        /** How long a browser session lasts after signing in. */
        session_hours: z.coerce
          .number()
          .positive()
          .default(7 * 24),
        /**
         * Failed sign-ins per account (and 4× that per client address) before each further try must
         * wait, twice as long after every failure: from 60 s (per address 5 s) up to the window.
         */
        login_max_failures: z.coerce.number().int().positive().default(5),
        /** The longest wait; failures are forgotten after a day without one, or by signing in. */
        login_window_minutes: z.coerce.number().positive().default(15),
        /** The built-in OAuth 2.1 authorization server. */
        oauth: z
          .object({
            enabled: flag.default(true),
            access_token_minutes: z.coerce.number().int().positive().default(60),
            /** Refresh tokens rotate on every use; an unused one lapses after this many days. */
            refresh_token_days: z.coerce.number().int().positive().default(30),
            /** A new signing key is made after this many days (0: never); it is published a day before it signs. */
            signing_key_rotation_days: z.coerce.number().int().min(0).default(90),
            dynamic_registration: flag.default(true),
            client_metadata_documents: flag.default(true),
            /** Let Client ID Metadata Documents live on private or loopback addresses (development only). */
            client_metadata_private_hosts: flag.default(false),
            /** Dynamic registrations per client address before each further one must wait (from a minute, doubling up to 15). */
            registrations_per_address: z.coerce.number().int().positive().default(20),
            /** Registered clients kept at most; registration is refused beyond. */
            max_clients: z.coerce.number().int().positive().default(10_000),
            /** A registered client not used for this long is forgotten. */
            unused_client_days: z.coerce.number().int().positive().default(30),
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
    /** What one page may ask of the Markdown renderer, and how long a render may take (docs/security.md). */
    render: z
      .object({
        max_footnotes: count(DEFAULT_RENDER_LIMITS.maxFootnotes),
        max_math: count(DEFAULT_RENDER_LIMITS.maxMath),
        max_html_tags: count(DEFAULT_RENDER_LIMITS.maxHtmlTags),
        max_html_bytes: count(DEFAULT_RENDER_LIMITS.maxHtmlBytes),
        max_wikilinks: count(DEFAULT_RENDER_LIMITS.maxWikiLinks),
        deadline_seconds: z.coerce.number().positive().default(10),
      })
      .strict()
      .prefault({}),
    /**
     * What each wiki may hold (a platform admin can override these per wiki) and how many requests
     * a client may make; 0: unlimited (docs/configuration.md, "Limits").
     */
    limits: z
      .object({
        pages: z.coerce.number().int().min(0).default(0),
        repo_bytes: z.coerce.number().int().min(0).default(0),
        attachment_bytes: z.coerce.number().int().min(0).default(0),
        attachments: z.coerce.number().int().min(0).default(0),
        /** Requests per minute per credential (API token, OAuth access token), counted in each process. */
        requests_per_minute_token: z.coerce.number().int().min(0).default(0),
        /** Requests per minute per client address for requests without a credential, in each process. */
        requests_per_minute_anonymous: z.coerce.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    /** The worker threads heavy work runs on, off the event loop. */
    work: z
      .object({
        threads: z.coerce
          .number()
          .int()
          .positive()
          .default(() => Math.min(4, availableParallelism())),
        /** Heap one worker may use; a task needing more is stopped (503). */
        max_heap_mb: z.coerce.number().int().min(64).default(256),
      })
      .strict()
      .prefault({}),
    /** What one search may cost (docs/security.md, "Search limits"). */
    search: z
      .object({
        max_query_chars: z.coerce.number().int().positive().default(DEFAULT_SEARCH_LIMITS.maxQueryChars),
        max_terms: z.coerce.number().int().positive().default(DEFAULT_SEARCH_LIMITS.maxTerms),
        max_results: z.coerce.number().int().positive().default(DEFAULT_SEARCH_LIMITS.maxResults),
        snippet_scan_chars: z.coerce
          .number()
          .int()
          .positive()
          .default(DEFAULT_SEARCH_LIMITS.snippetScanChars),
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
        allow_download: flag.default(true),
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
    /** Prometheus metrics at GET /metrics. */
    metrics: z
      .object({
        enabled: flag.default(false),
        /** A bearer token a scraper may use instead of a platform admin's credential. */
        scrape_token: z.string().min(16, 'metrics.scrape_token must be at least 16 characters').optional(),
      })
      .strict()
      .prefault({}),
    /** OpenTelemetry traces over OTLP/HTTP; also set by the standard OTEL_* variables. */
    tracing: z
      .object({
        enabled: flag.default(false),
        /** otlp: OTLP/HTTP to `endpoint`; xray-daemon: UDP to AWS Lambda's X-Ray daemon (AWS_XRAY_DAEMON_ADDRESS). */
        exporter: z.enum(['otlp', 'xray-daemon']).default('otlp'),
        /** host:port of the X-Ray daemon; Lambda sets AWS_XRAY_DAEMON_ADDRESS. */
        xray_daemon: z.string().min(3).default('127.0.0.1:2000'),
        /** The collector's traces endpoint. */
        endpoint: z.url().default('http://localhost:4318/v1/traces'),
        service_name: z.string().min(1).default('wikibot'),
        headers: z.record(z.string(), z.string()).default({}),
        /**
         * The share of requests traced, 0 to 1 (OTEL_TRACES_SAMPLER `traceidratio` with
         * OTEL_TRACES_SAMPLER_ARG; `always_off` is 0). A request not traced costs next to nothing.
         */
        sample_ratio: z
          .number('tracing.sample_ratio must be a number from 0 to 1')
          .min(0, 'tracing.sample_ratio must be from 0 to 1')
          .max(1, 'tracing.sample_ratio must be from 0 to 1')
          .default(1),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const domain = config.http.cookie_domain?.toLowerCase();
    if (!domain) return;
    const covered = (host: string) => host === domain || host.endsWith(`.${domain}`);
    const base = config.base_url ? new URL(config.base_url).hostname.toLowerCase() : null;
    const wikis = config.http.wiki_domain?.toLowerCase() ?? base;
    const problem = !config.http.wiki_host_mode
      ? 'is for host mode: set http.wiki_host_mode'
      : base === null
        ? 'needs base_url, whose host must be under it'
        : !covered(base)
          ? `must be the base URL's host (${base}) or a domain above it`
          : wikis && !covered(wikis)
            ? `must be http.wiki_domain (${wikis}) or a domain above it`
            : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['http', 'cookie_domain'], message: problem });
  });

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
  WIKIBOT_INDEX_SNAPSHOT_EVERY: ['index_snapshot_every'],
  WIKIBOT_HOST: ['host'],
  WIKIBOT_PORT: ['port'],
  WIKIBOT_WORKERS: ['workers'],
  WIKIBOT_BASE_URL: ['base_url'],
  WIKIBOT_ADMIN_TOKEN: ['admin_token'],
  WIKIBOT_ADMIN_PASSWORD: ['admin_password'],
  WIKIBOT_TRUSTED_PROXIES: ['http', 'trusted_proxies'],
  WIKIBOT_WIKI_HOST_MODE: ['http', 'wiki_host_mode'],
  WIKIBOT_WIKI_DOMAIN: ['http', 'wiki_domain'],
  WIKIBOT_COOKIE_DOMAIN: ['http', 'cookie_domain'],
  WIKIBOT_LOG_LEVEL: ['log_level'],
  WIKIBOT_DATABASE_URL: ['store', 'url'],
  WIKIBOT_SIGNUP: ['platform', 'signup'],
  WIKIBOT_SIGNUP_EMAIL_DOMAINS: ['platform', 'signup_email_domains'],
  WIKIBOT_DELETED_WIKI_RETENTION_DAYS: ['platform', 'deleted_wiki_retention_days'],
  WIKIBOT_MAX_WIKIS_PER_USER: ['platform', 'max_wikis_per_user'],
  WIKIBOT_DATABASE_POOL_SIZE: ['store', 'pool_size'],
  WIKIBOT_LINK_STYLE: ['wiki', 'link_style'],
  WIKIBOT_MAX_PAGE_BYTES: ['wiki', 'max_page_bytes'],
  WIKIBOT_MAX_ATTACHMENT_BYTES: ['wiki', 'max_attachment_bytes'],
  WIKIBOT_MAX_BODY_BYTES: ['http', 'max_body_bytes'],
  WIKIBOT_SHUTDOWN_GRACE_SECONDS: ['http', 'shutdown_grace_seconds'],
  WIKIBOT_OAUTH_ENABLED: ['auth', 'oauth', 'enabled'],
  WIKIBOT_AUTH_PROXY_ENABLED: ['auth', 'proxy', 'enabled'],
  WIKIBOT_AUTH_PROXY_USER_HEADER: ['auth', 'proxy', 'user_header'],
  WIKIBOT_AUTH_CA_FILE: ['auth', 'ca_file'],
  WIKIBOT_LIMIT_PAGES: ['limits', 'pages'],
  WIKIBOT_LIMIT_REPO_BYTES: ['limits', 'repo_bytes'],
  WIKIBOT_LIMIT_ATTACHMENT_BYTES: ['limits', 'attachment_bytes'],
  WIKIBOT_LIMIT_ATTACHMENTS: ['limits', 'attachments'],
  WIKIBOT_REQUESTS_PER_MINUTE_TOKEN: ['limits', 'requests_per_minute_token'],
  WIKIBOT_REQUESTS_PER_MINUTE_ANONYMOUS: ['limits', 'requests_per_minute_anonymous'],
  WIKIBOT_RENDER_DEADLINE_SECONDS: ['render', 'deadline_seconds'],
  WIKIBOT_WORK_THREADS: ['work', 'threads'],
  WIKIBOT_SEARCH_MAX_QUERY_CHARS: ['search', 'max_query_chars'],
  WIKIBOT_SEARCH_MAX_TERMS: ['search', 'max_terms'],
  WIKIBOT_SEARCH_MAX_RESULTS: ['search', 'max_results'],
  WIKIBOT_SEARCH_SNIPPET_SCAN_CHARS: ['search', 'snippet_scan_chars'],
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
  WIKIBOT_METRICS: ['metrics', 'enabled'],
  WIKIBOT_METRICS_SCRAPE_TOKEN: ['metrics', 'scrape_token'],
  WIKIBOT_TRACING: ['tracing', 'enabled'],
  WIKIBOT_TRACING_EXPORTER: ['tracing', 'exporter'],
  AWS_XRAY_DAEMON_ADDRESS: ['tracing', 'xray_daemon'],
  OTEL_SERVICE_NAME: ['tracing', 'service_name'],
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
  merge(fromEnv, otelTracing(env));
  const dataDir = String(sources.overrides?.data_dir ?? fromEnv.data_dir ?? 'wikibot-data');
  const file = sources.file ?? env.WIKIBOT_CONFIG ?? defaultFile(dataDir);
  if (file) merge(raw, readToml(file));
  merge(raw, fromEnv);
  merge(raw, sources.overrides ?? {});
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const from = sourceOf(issue.path, fromEnv, sources.overrides ?? {});
      return `  ${issue.path.join('.') || '(root)'}: ${issue.message}${from ? ` (from ${from})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration${file ? ` in ${file}` : ''}:\n${lines.join('\n')}`);
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

/** The `[render]` limits as the renderer takes them. */
export function renderLimits(config: Config): RenderLimits {
  const r = config.render;
  return {
    maxFootnotes: r.max_footnotes,
    maxMath: r.max_math,
    maxHtmlTags: r.max_html_tags,
    maxHtmlBytes: r.max_html_bytes,
    maxWikiLinks: r.max_wikilinks,
  };
}

/** The search limits of the configuration, as the wiki service takes them. */
export function searchLimits(config: Config): SearchLimits {
  const s = config.search;
  return {
    maxQueryChars: s.max_query_chars,
    maxTerms: s.max_terms,
    maxResults: s.max_results,
    snippetScanChars: s.snippet_scan_chars,
  };
}

/**
 * Tracing as the standard OpenTelemetry variables ask: on when an OTLP endpoint is named or
 * OTEL_TRACES_EXPORTER is `otlp`; off when it is `none` or OTEL_SDK_DISABLED is true.
 */
function otelTracing(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const tracing: Record<string, unknown> = {};
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const endpoint =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (base && `${base.replace(/\/+$/, '')}/v1/traces`);
  if (endpoint) tracing.endpoint = endpoint;
  const headers = env.OTEL_EXPORTER_OTLP_TRACES_HEADERS || env.OTEL_EXPORTER_OTLP_HEADERS;
  if (headers) tracing.headers = parseOtelHeaders(headers);
  const ratio = otelSampleRatio(env);
  if (ratio !== undefined) tracing.sample_ratio = ratio;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (endpoint || exporter === 'otlp') tracing.enabled = true;
  if (exporter === 'none' || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') tracing.enabled = false;
  return Object.keys(tracing).length > 0 ? { tracing } : {};
}

/**
 * The sampling ratio OTEL_TRACES_SAMPLER asks for: `always_on`, `always_off`, `traceidratio` with
 * OTEL_TRACES_SAMPLER_ARG (default 1), each also as `parentbased_…` — the same here, since requests
 * arrive without a parent trace.
 */
function otelSampleRatio(env: NodeJS.ProcessEnv): number | undefined {
  const sampler = env.OTEL_TRACES_SAMPLER?.trim()
    .toLowerCase()
    .replace(/^parentbased_/, '');
  if (!sampler) return undefined;
  if (sampler === 'always_on') return 1;
  if (sampler === 'always_off') return 0;
  if (sampler === 'traceidratio') {
    const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
    return arg ? Number(arg) : 1;
  }
  throw new ConfigError(
    `OTEL_TRACES_SAMPLER=${env.OTEL_TRACES_SAMPLER} is not supported: use always_on, always_off or traceidratio (optionally parentbased_…)`,
  );
}

/** `key1=value1,key2=value2`, values URL-encoded (the OTLP exporter specification's format). */
function parseOtelHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/** The URL people and agents reach this server at. */
export function publicBaseUrl(config: Config, boundPort?: number): string {
  if (config.base_url) return config.base_url.replace(/\/+$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${boundPort ?? config.port}`;
}

/** Where a value that did not come from the file was set: a command-line flag or an environment variable. */
function sourceOf(
  path: PropertyKey[],
  fromEnv: Record<string, unknown>,
  overrides: Record<string, unknown>,
): string | undefined {
  const key = path.map(String);
  const has = (tree: Record<string, unknown>) => {
    let node: unknown = tree;
    for (const part of key) {
      if (!isObject(node) || !(part in node)) return false;
      node = node[part];
    }
    return key.length > 0;
  };
  if (has(overrides)) return 'the command line';
  if (!has(fromEnv)) return undefined;
  const variable = Object.entries(ENV_KEYS).find(([, keys]) => keys.every((part, i) => key[i] === part));
  return variable?.[0] ?? 'the environment';
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

/** Where the platform store lives: PostgreSQL when a URL is configured, else a SQLite file in the data directory. */
export type StoreLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; poolSize: number };

export function storeLocation(config: Config): StoreLocation {
  return config.store.url
    ? { kind: 'postgres', url: config.store.url, poolSize: config.store.pool_size }
    : { kind: 'sqlite', file: join(config.data_dir, 'platform.sqlite') };
}
