import type { Context as TraceContext } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticate.js';
import type { Principal } from '../auth/principal.js';
import type { AuthServices } from '../auth/services.js';
import type { Config } from '../config.js';
import type { Observability } from '../observability/index.js';
import type { WikiLimitsStore } from '../platform/limits/limits.js';
import type { Platform } from '../platform/service/index.js';
import type { TokenStore } from '../platform/tokens.js';
import type { WikiRegistry } from '../platform/wikis.js';
import type { Wiki } from '../wiki/wiki.js';
import type { WorkPool } from '../work/pool.js';
import type { Decision, WikiAccess } from './auth.js';
import type { WikiPlacement } from './hostMode.js';

/** What every front door is built from. */
export interface AppDeps {
  config: Config;
  registry: WikiRegistry;
  /** Per-wiki limits and usage. */
  limits: WikiLimitsStore;
  tokens: TokenStore;
  authenticator: Authenticator;
  /** Accounts, roles, sessions, token verification, the authorization server's state. */
  auth: AuthServices;
  /** The platform service: wikis, members, invitations, accounts, tokens. */
  platform: Platform;
  logger: Logger;
  /** The worker threads heavy work runs on. */
  work: WorkPool;
  /** Metrics and traces; absent or switched off, requests are not observed. */
  observability?: Observability;
  /** The trace each request's span joins (on Lambda, the invocation's X-Ray trace); else each starts one. */
  traceParent?: () => TraceContext | undefined;
  /** Where wikis are served: paths under the base URL, or hosts of their own (http/hostMode.ts). */
  placement: WikiPlacement;
  /** Public base URL, e.g. http://127.0.0.1:8080 */
  baseUrl: () => string;
}

/** A signed-in browser: who, and the CSRF token its forms must carry. */
export interface BrowserSession {
  userId: string;
  username: string;
  csrfToken: string;
}

/** Per-request values set by middleware. */
export interface RequestVars {
  principal: Principal;
  wiki: Wiki;
  /** The signed-in browser session (set by http/session.ts), or null. */
  session: BrowserSession | null;
  /** What the caller may do on the wiki the request is about, once resolved (http/auth.ts). */
  access?: WikiAccess;
  /** The request's authorization decision, logged when it ends. */
  decision?: Decision;
  /** Fields added to the request log line. */
  log: { wiki?: string; subject?: string };
  /** The trace context of a request sampled for tracing (observability/http.ts). */
  trace?: TraceContext;
}

export type AppEnv = { Variables: RequestVars };
