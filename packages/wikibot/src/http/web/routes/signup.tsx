import type { Hono } from 'hono';
import type { User } from '../../../platform/users.js';
import { Conflict, Forbidden, Invalid } from '../../../wiki/errors.js';
import type { FormFields } from '../../form.js';
import { csrfField, startSession } from '../../session.js';
import { signedInCaller } from '../caller.js';
import type { WebContext, WebDeps, WebEnv } from '../env.js';
import { redirectWith } from '../flash.js';
import { asApp } from '../gate.js';
import { field, formBody } from '../request.js';
import { PLATFORM, wikiHome } from '../urls.js';
import { platformChrome } from '../viewer.js';
import { type AccountInput, InvitePage, SignUpPage } from '../views/signup.js';

const NO_INPUT: AccountInput = { username: '', email: '', displayName: '' };

/** Taking an invitation link (signed in, or making an account first) and self sign-up. */
export function signUpRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get('/-/invites/:token', (c) => invitePage(c, deps, NO_INPUT, null));

  app.post('/-/invites/:token', async (c) => {
    const token = c.req.param('token');
    if (c.get('session')) {
      const caller = signedInCaller(c);
      if (caller instanceof Response) return caller;
      const { wiki, role } = await deps.platform.invites.accept(token, { caller });
      return redirectWith(c, wikiHome(wiki.slug), `Welcome to ${wiki.title}: you are ${role} here.`);
    }
    const form = await formBody(c);
    const input = accountInput(form);
    try {
      const { user, wiki, role } = await deps.platform.invites.accept(token, {
        newAccount: newAccount(input, field(form, 'password')),
      });
      await signIn(deps, c, user);
      return redirectWith(c, wikiHome(wiki.slug), `Welcome to ${wiki.title}: you are ${role} here.`);
    } catch (error) {
      if (error instanceof Invalid || error instanceof Forbidden) {
        return invitePage(c, deps, input, error.message, error instanceof Forbidden ? 403 : 422);
      }
      throw error;
    }
  });

  app.get(PLATFORM.signup, (c) => signUpPage(c, deps, NO_INPUT, null));

  app.post(PLATFORM.signup, async (c) => {
    const form = await formBody(c);
    const input = accountInput(form);
    try {
      const user = await deps.platform.accounts.signUp(newAccount(input, field(form, 'password')));
      await signIn(deps, c, user);
      return redirectWith(c, PLATFORM.wikis, `Welcome, ${user.displayName}.`);
    } catch (error) {
      if (error instanceof Invalid || error instanceof Conflict) {
        return signUpPage(c, deps, input, error.message, 422);
      }
      throw error;
    }
  });
}

function signIn(deps: WebDeps, c: WebContext, user: User) {
  return startSession(deps, asApp(c), user);
}

function accountInput(form: FormFields): AccountInput {
  return {
    username: field(form, 'username').trim(),
    email: field(form, 'email').trim(),
    displayName: field(form, 'display_name').trim(),
  };
}

function newAccount(input: AccountInput, password: string) {
  return {
    username: input.username,
    password,
    ...(input.email ? { email: input.email } : {}),
    ...(input.displayName ? { displayName: input.displayName } : {}),
  };
}

async function invitePage(
  c: WebContext,
  deps: WebDeps,
  input: AccountInput,
  problem: string | null,
  status: 200 | 403 | 422 = 200,
) {
  const token = c.req.param('token') ?? '';
  const offer = await deps.platform.invites.peek(token);
  const signup = deps.config.platform.signup;
  return c.html(
    <InvitePage
      chrome={platformChrome(c, deps)}
      csrf={csrfField(asApp(c))}
      action={PLATFORM.invite(token)}
      wiki={offer.wiki}
      role={offer.role}
      expiresAt={offer.expiresAt}
      canSignUp={signup === 'invite-only' || signup === 'open'}
      input={input}
      problem={problem}
    />,
    status,
  );
}

function signUpPage(
  c: WebContext,
  deps: WebDeps,
  input: AccountInput,
  problem: string | null,
  status: 200 | 422 = 200,
) {
  const policy = deps.config.platform;
  if (policy.signup !== 'open') {
    throw new Forbidden(
      policy.signup === 'invite-only'
        ? 'Sign-up is by invitation only: open the invitation link a wiki owner sent you'
        : 'Sign-up is closed here: a platform admin makes accounts',
    );
  }
  return c.html(
    <SignUpPage
      chrome={platformChrome(c, deps)}
      csrf={csrfField(asApp(c))}
      domains={policy.signup_email_domains}
      input={input}
      problem={problem}
    />,
    status,
  );
}
