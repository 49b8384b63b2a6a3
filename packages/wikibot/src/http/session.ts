import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ANONYMOUS } from '../auth/principal.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { constantTimeEqual } from '../platform/tokens.js';
import type { User } from '../platform/users.js';
import type { AppDeps, AppEnv, BrowserSession } from './context.js';
import { readForm } from './form.js';
import { peerAddress } from './forwarded.js';
import { messagePage } from './oauth/pages.js';

/** Double-submit CSRF cookie for forms posted before signing in (the login form). */
const CSRF_COOKIE = 'wikibot_csrf';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PASSWORD_PAGE = '/-/login/password';
/** What a session may reach before its one-time password is replaced. */
const PASSWORD_CHANGE_PATHS = new Set(['/-/login', PASSWORD_PAGE, '/-/logout']);

interface RequestCookies {
  secure: boolean;
  /** The session cookie's Domain (`http.cookie_domain`); host-only without. */
  domain?: string;
  anonymousToken?: string;
}
/** Per-request cookie state, keyed by the request's context. */
const cookieState = new WeakMap<Context, RequestCookies>();

/**
 * Browser sessions: the `wikibot_session` cookie (HttpOnly, SameSite=Lax, Secure when the base URL
 * is https) sets `c.get('session')` and the principal. Behind an authenticating proxy
 * (auth.proxy.enabled) the identity headers of a trusted peer sign the person in instead.
 * A request is authenticated by its Authorization header or by its session, never both: with the
 * header present, cookies and proxy headers are not looked at.
 */
export function session(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const domain = deps.config.http.cookie_domain;
    cookieState.set(c, { secure: deps.baseUrl().startsWith('https:'), ...(domain ? { domain } : {}) });
    c.set('session', null);
    if (!c.get('principal')) c.set('principal', ANONYMOUS);
    if (c.req.header('authorization') !== undefined) return next();
    const cookie = getCookie(c, SESSION_COOKIE);
    const stored = cookie ? await deps.auth.sessions.find(cookie) : null;
    let user = stored ? await deps.auth.users.get(stored.userId) : undefined;
    let browser: BrowserSession | null =
      stored && user && !user.disabled
        ? { userId: user.id, username: user.username, csrfToken: stored.csrfToken }
        : null;
    let client = 'browser';

    const proxied = await proxyUser(deps, c);
    if (proxied && proxied.id !== browser?.userId) {
      user = proxied;
      browser = await startSession(deps, c, proxied);
    }
    if (proxied) client = 'proxy';

    if (browser && user) {
      if (user.passwordChangeRequired && !PASSWORD_CHANGE_PATHS.has(c.req.path))
        return choosePasswordFirst(c);
      c.set('session', browser);
      c.set('principal', deps.authenticator.forUser(user, client));
      c.get('log').subject = `user:${user.id}`;
    }
    return next();
  };
}

/**
 * A session whose password was for one use only reaches nothing but the page that replaces it (and
 * signing out): every other page sends the browser there, every other action is refused.
 */
function choosePasswordFirst(c: Context<AppEnv>) {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    const here = `${c.req.path}${new URL(c.req.url).search}`;
    return c.redirect(`${PASSWORD_PAGE}?next=${encodeURIComponent(here)}`, 303);
  }
  return c.html(
    messagePage(
      'Choose a new password first',
      'Your password was for one use only: choose a new one first.',
      {
        href: PASSWORD_PAGE,
        label: 'Choose a new password',
      },
    ),
    403,
  );
}

/** Sign a person in: a new session (never a reused id) and its cookie. */
export async function startSession(deps: AppDeps, c: Context<AppEnv>, user: User): Promise<BrowserSession> {
  const { cookieValue, session: stored } = await deps.auth.sessions.create(user.id);
  setCookie(c, SESSION_COOKIE, cookieValue, {
    ...sessionCookieScope(c),
    httpOnly: true,
    sameSite: 'Lax',
    expires: new Date(stored.expiresAt),
  });
  deleteCookie(c, CSRF_COOKIE, { path: '/' });
  const browser = { userId: user.id, username: user.username, csrfToken: stored.csrfToken };
  c.set('session', browser);
  return browser;
}

/** Sign the browser out. */
export async function endSession(deps: AppDeps, c: Context<AppEnv>): Promise<void> {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) await deps.auth.sessions.destroy(cookie);
  deleteCookie(c, SESSION_COOKIE, sessionCookieScope(c));
  c.set('session', null);
}

/**
 * The value for the hidden `<input name="_csrf">` of a form on this page: the session's token, or
 * for a visitor not signed in, a random token also set as an HttpOnly cookie (double submit).
 */
export function csrfField(c: Context<AppEnv>): string {
  const signedIn = c.get('session');
  if (signedIn) return signedIn.csrfToken;
  const state = cookieState.get(c) ?? { secure: false };
  if (state.anonymousToken) return state.anonymousToken;
  const existing = getCookie(c, CSRF_COOKIE);
  const token = existing && TOKEN_PATTERN.test(existing) ? existing : randomBytes(32).toString('base64url');
  if (token !== existing)
    setCookie(c, CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Lax', secure: state.secure });
  state.anonymousToken = token;
  cookieState.set(c, state);
  return token;
}

/**
 * Refuse unsafe-method requests unless they carry the CSRF token (the `_csrf` form field or an
 * `X-CSRF-Token` header), or were authenticated by a credential in their Authorization header (which
 * a browser never adds on its own to a forged request). An Authorization header that authenticated
 * nobody exempts nothing. Cross-site requests (per Sec-Fetch-Site) are refused outright. Runs after
 * {@link session}.
 */
export function csrfProtect(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || byCredential(c)) return next();
    if (c.req.header('sec-fetch-site') === 'cross-site') return refuseForgery(c, 'it came from another site');
    const expected = c.get('session')?.csrfToken ?? getCookie(c, CSRF_COOKIE);
    const sent = c.req.header('x-csrf-token') ?? (await formField(c, '_csrf'));
    if (!expected || !sent || !constantTimeEqual(sent, expected)) {
      return refuseForgery(
        c,
        'the form was not sent from this site or has expired (missing or invalid CSRF token)',
      );
    }
    return next();
  };
}

/** Authenticated by its Authorization header ({@link session} then attaches no session). */
function byCredential(c: Context<AppEnv>): boolean {
  return c.req.header('authorization') !== undefined && c.get('principal') !== ANONYMOUS && !c.get('session');
}

/** A text field of a form-encoded or multipart body (parsed once; handlers can parse again). */
export async function formField(c: Context<AppEnv>, name: string): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    return undefined;
  const value = (await readForm(c))[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Where the session cookie is sent: every path, over https when the base URL is, and to `http.cookie_domain`'s hosts. */
function sessionCookieScope(c: Context<AppEnv>): { path: string; secure: boolean; domain?: string } {
  const state = cookieState.get(c);
  return { path: '/', secure: state?.secure ?? false, ...(state?.domain ? { domain: state.domain } : {}) };
}

function refuseForgery(c: Context<AppEnv>, why: string) {
  return c.html(
    messagePage(
      'Request refused',
      `This request was refused because ${why}. Go back, reload the page and try again.`,
    ),
    403,
  );
}

/** The account an authenticating proxy vouches for, when it is trusted and enabled. */
async function proxyUser(deps: AppDeps, c: Context<AppEnv>): Promise<User | null> {
  const proxy = deps.config.auth.proxy;
  if (!proxy.enabled) return null;
  const name = c.req.header(proxy.user_header)?.trim();
  if (!name) return null;
  const peer = peerAddress(c);
  if (!proxy.trusted_addresses.includes(peer)) {
    deps.logger.warn(
      { event: 'auth', peer, header: proxy.user_header },
      'identity header from an untrusted peer ignored',
    );
    return null;
  }
  const email = c.req.header(proxy.email_header)?.trim();
  const displayName = c.req.header(proxy.name_header)?.trim();
  const user = await deps.auth.users.provision({
    issuer: 'proxy',
    subject: name,
    username: name,
    ...(email ? { email } : {}),
    ...(displayName ? { displayName } : {}),
  });
  return user.disabled ? null : user;
}
