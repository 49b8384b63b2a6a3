import type { Context } from 'hono';
import { type Access, ANONYMOUS, authorize, type Principal } from '../../auth/principal.js';
import type { WikiRecord } from '../../platform/wikis.js';
import type { AppDeps } from '../context.js';
import type { WebAccess } from './chrome.js';

/** The caller: set by the session (browsers) or the Authorization header; anonymous otherwise. */
export function principalOf(c: Context): Principal {
  return (c.get('principal') as Principal | undefined) ?? ANONYMOUS;
}

/** What the caller may do on the wiki: the one authorization rule of every door (role ∩ scopes). */
export async function accessOf(
  principal: Principal,
  record: WikiRecord,
): Promise<WebAccess & { reasons: Record<Access, string | null> }> {
  const [read, write, admin] = await Promise.all([
    authorize(principal, record, 'read'),
    authorize(principal, record, 'write'),
    authorize(principal, record, 'admin'),
  ]);
  return {
    read: read === null,
    write: write === null,
    admin: admin === null,
    reasons: { read, write, admin },
  };
}

/** The wikis the caller may read, for the start page. */
export async function readableWikis(principal: Principal, wikis: WikiRecord[]): Promise<WikiRecord[]> {
  const allowed = await Promise.all(
    wikis.map(async (wiki) => (await authorize(principal, wiki, 'read')) === null),
  );
  return wikis.filter((_, index) => allowed[index]);
}

/** One JSON log line per web access decision, like every other door's. */
export function logDecision(
  deps: AppDeps,
  c: Context,
  record: WikiRecord,
  access: Access,
  reason: string | null,
): void {
  const principal = principalOf(c);
  deps.logger.info(
    {
      event: 'auth',
      door: 'web',
      subject: principal.subject,
      client: principal.client,
      wiki: record.slug,
      route: `${c.req.method} ${c.req.routePath}`,
      required: access,
      allowed: reason === null,
      reason: reason ?? 'ok',
    },
    'auth decision',
  );
}
