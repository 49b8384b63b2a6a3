import type { Hono } from 'hono';
import { Conflict, Invalid, NotFound } from '../../../wiki/errors.js';
import { signedInCaller } from '../caller.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { platformAdminGate } from '../gate.js';
import { field, formBody } from '../request.js';
import { PLATFORM } from '../urls.js';
import { platformChrome } from '../viewer.js';
import { ADMIN, AdminPage, type Issued } from '../views/admin.js';

const CHANGES = {
  disable: { disabled: true },
  enable: { disabled: false },
  reset: { resetPassword: true },
} as const;

/** The platform admins' area; everyone else is refused (403) by the gate, and again by the service. */
export function adminRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.use(PLATFORM.admin, platformAdminGate(deps));
  app.use(`${PLATFORM.admin}/*`, platformAdminGate(deps));
  app.get(PLATFORM.admin, (c) => adminPage(c, deps, null, null));

  app.post(ADMIN.accounts, async (c) => {
    const caller = signedInCaller(c);
    if (caller instanceof Response) return caller;
    const form = await formBody(c);
    const email = field(form, 'email').trim();
    const displayName = field(form, 'display_name').trim();
    try {
      const { user, oneTimePassword } = await deps.platform.accounts.create(caller, {
        username: field(form, 'username').trim(),
        isAdmin: field(form, 'admin') === 'yes',
        ...(email ? { email } : {}),
        ...(displayName ? { displayName } : {}),
      });
      return adminPage(c, deps, { username: user.username, password: oneTimePassword ?? '' }, null);
    } catch (error) {
      if (error instanceof Invalid || error instanceof Conflict)
        return adminPage(c, deps, null, error.message, 422);
      throw error;
    }
  });

  app.post(ADMIN.update, async (c) => {
    const caller = signedInCaller(c);
    if (caller instanceof Response) return caller;
    const form = await formBody(c);
    const change = field(form, 'change');
    if (!Object.hasOwn(CHANGES, change)) throw new Invalid(`Unknown account change: ${change || '(none)'}`);
    try {
      const { user, oneTimePassword } = await deps.platform.accounts.update(
        caller,
        field(form, 'login'),
        CHANGES[change as keyof typeof CHANGES],
      );
      if (oneTimePassword)
        return adminPage(c, deps, { username: user.username, password: oneTimePassword }, null);
      return redirectWith(
        c,
        PLATFORM.admin,
        `${user.username} is now ${user.disabled ? 'disabled' : 'enabled'}.`,
      );
    } catch (error) {
      if (error instanceof Invalid || error instanceof NotFound)
        return adminPage(c, deps, null, error.message, 422);
      throw error;
    }
  });
}

async function adminPage(
  c: WebContext,
  deps: WebDeps,
  issued: Issued | null,
  problem: string | null,
  status: 200 | 422 = 200,
) {
  const caller = signedInCaller(c);
  if (caller instanceof Response) return caller;
  const [users, wikis] = await Promise.all([
    deps.platform.accounts.list(caller),
    deps.platform.wikis.listAll(caller),
  ]);
  // One wiki at a time: each report walks that wiki's repository.
  const usage = [];
  for (const { slug } of wikis) usage.push(await deps.limits.report(deps.registry, slug));
  return c.html(
    <AdminPage
      chrome={platformChrome(c, deps)}
      me={caller.userId}
      users={users}
      wikis={wikis}
      usage={usage}
      policy={deps.config.platform}
      issued={issued}
      problem={problem}
    />,
    status,
  );
}
