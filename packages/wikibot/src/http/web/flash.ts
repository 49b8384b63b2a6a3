import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** A one-time message carried across a redirect (post → redirect → get) in a short-lived cookie. */
export interface Flash {
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

const COOKIE = 'wikibot_flash';

export function setFlash(c: Context, flash: Flash): void {
  setCookie(c, COOKIE, `${flash.kind}:${encodeURIComponent(flash.text.slice(0, 300))}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: 60,
  });
}

/** The pending message, if any; reading it clears it. */
export function takeFlash(c: Context): Flash | null {
  const value = getCookie(c, COOKIE);
  if (!value) return null;
  deleteCookie(c, COOKIE, { path: '/' });
  const match = /^(ok|warn|error):(.*)$/.exec(value);
  if (!match) return null;
  try {
    return { kind: match[1] as Flash['kind'], text: decodeURIComponent(match[2] as string) };
  } catch {
    return null;
  }
}

/** Redirect after a successful form post, with a message for the next page. */
export function redirectWith(
  c: Context,
  location: string,
  text: string,
  kind: Flash['kind'] = 'ok',
): Response {
  setFlash(c, { kind, text });
  return c.redirect(location, 303);
}
