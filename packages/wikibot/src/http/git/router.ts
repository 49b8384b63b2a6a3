import { type Context, Hono } from 'hono';
import { type Access, ANONYMOUS } from '../../auth/principal.js';
import { NotFound } from '../../wiki/errors.js';
import { GIT_SERVICES, type GitService } from '../../wiki/gitRemote.js';
import { callerOf, challenge, decide, routeOf, wikiAccess } from '../auth.js';
import type { AppDeps, AppEnv } from '../context.js';

/** The access each service needs: fetching reads the wiki, pushing writes it. */
const ACCESS_FOR: Record<GitService, Access> = { 'git-upload-pack': 'read', 'git-receive-pack': 'write' };

/**
 * git's smart HTTP protocol at `/w/<slug>.git` (mounted at `/w`): `GET info/refs?service=…` and
 * `POST git-upload-pack|git-receive-pack`, bodies streamed both ways. Credentials come as HTTP Basic
 * (an API token as the password, any user name) or Bearer; refusals are text/plain, which git prints.
 */
export function gitRouter(deps: AppDeps): Hono<AppEnv> {
  const router = new Hono<AppEnv>();

  router.get('/:repo{[^/]+\\.git}/info/refs', async (c) => {
    const service = c.req.query('service');
    if (!isService(service)) return refuse(c, 403, 'Only git smart HTTP is served: use git 1.6.6 or newer.');
    const wiki = await gate(deps, c, ACCESS_FOR[service]);
    if (wiki instanceof Response) return wiki;
    const body = wiki.gitRemote.advertisement(service, { onFailure: failureLog(deps, c) });
    return c.body(body, 200, {
      'Content-Type': `application/x-${service}-advertisement`,
      'Cache-Control': 'no-cache, max-age=0, must-revalidate',
    });
  });

  router.post('/:repo{[^/]+\\.git}/:service{git-upload-pack|git-receive-pack}', async (c) => {
    const service = c.req.param('service') as GitService;
    if (c.req.header('content-type') !== `application/x-${service}-request`)
      return refuse(c, 415, `Expected Content-Type application/x-${service}-request`);
    const encoding = c.req.header('content-encoding');
    if (encoding !== undefined && encoding !== 'gzip')
      return refuse(c, 415, `Unsupported Content-Encoding ${encoding}: send gzip or none`);
    const wiki = await gate(deps, c, ACCESS_FOR[service]);
    if (wiki instanceof Response) return wiki;
    const body = await wiki.gitRemote.exchange(service, c.req.raw.body, {
      gzip: encoding === 'gzip',
      onFailure: failureLog(deps, c),
    });
    return c.body(body, 200, {
      'Content-Type': `application/x-${service}-result`,
      'Cache-Control': 'no-cache, max-age=0, must-revalidate',
    });
  });

  return router;
}

function isService(name: string | undefined): name is GitService {
  return GIT_SERVICES.includes(name as GitService);
}

/**
 * Authenticate and authorize the caller for `access` on the wiki the path names; the wiki when
 * allowed, else the refusal to send. Without a (valid) credential the answer is a Basic challenge,
 * so git asks its credential helper or the user; with one that is not enough, 403 and the reason.
 */
async function gate(deps: AppDeps, c: Context<AppEnv>, access: Access) {
  const slug = c.req.param('repo')!.slice(0, -'.git'.length);
  c.get('log').wiki = slug;
  const route = routeOf(c);
  const caller = await callerOf(deps, c, slug);
  c.set('principal', 'refused' in caller ? ANONYMOUS : caller);
  if ('refused' in caller) {
    decide(c, { door: 'git', route, required: access, reason: caller.refused, unknownCaller: true });
    return basicChallenge(c, `Invalid credential: ${caller.refused}`);
  }
  let reason: string | null;
  try {
    const { reasons } = await wikiAccess(deps, c, slug);
    reason = decide(c, { door: 'git', route, required: access, reason: reasons[access] });
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    // An unknown wiki looks like a private one to a caller without a credential, so names do not leak.
    return caller === ANONYMOUS ? basicChallenge(c, 'Authentication required') : notFound(c, slug);
  }
  if (reason === null) return deps.registry.wiki(slug);
  if (caller === ANONYMOUS) return basicChallenge(c, 'Authentication required');
  return refuse(c, 403, `Forbidden: ${reason}`);
}

function basicChallenge(c: Context<AppEnv>, message: string): Response {
  c.header('WWW-Authenticate', challenge({ scheme: 'Basic' }));
  return refuse(c, 401, `${message}: use an API token as the password (any user name).`);
}
function notFound(c: Context<AppEnv>, slug: string): Response {
  return refuse(c, 404, `Wiki not found: ${slug}`);
}

/** Plain text: git shows it to the user as `remote: …`. */
function refuse(c: Context<AppEnv>, status: 401 | 403 | 404 | 415, message: string): Response {
  return c.text(`${message}\n`, status);
}

function failureLog(deps: AppDeps, c: Context<AppEnv>) {
  const wiki = c.get('log').wiki;
  return (message: string) =>
    deps.logger.warn({ event: 'git', wiki, route: c.req.path, message }, 'git failed');
}
