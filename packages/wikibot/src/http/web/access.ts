import type { Context } from 'hono';
import { ANONYMOUS, authorize, type Principal } from '../../auth/principal.js';
import type { WikiRecord } from '../../platform/wikis.js';

/** The caller: set by the session (browsers) or the Authorization header; anonymous otherwise. */
export function principalOf(c: Context): Principal {
  return (c.get('principal') as Principal | undefined) ?? ANONYMOUS;
}

/** The wikis the caller may read, for the start page. */
export async function readableWikis(principal: Principal, wikis: WikiRecord[]): Promise<WikiRecord[]> {
  const allowed = await Promise.all(
    wikis.map(async (wiki) => (await authorize(principal, wiki, 'read')) === null),
  );
  return wikis.filter((_, index) => allowed[index]);
}
