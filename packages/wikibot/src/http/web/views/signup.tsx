import type { FC } from 'hono/jsx';
import type { Role } from '../../../platform/members.js';
import type { WikiRecord } from '../../../platform/wikis.js';
import type { Chrome } from '../chrome.js';
import { PLATFORM } from '../urls.js';
import { CsrfField } from './forms.js';
import { Layout } from './layout.js';

/** What someone types to make their own account. */
export interface AccountInput {
  username: string;
  email: string;
  displayName: string;
}

const Problem: FC<{ text: string | null }> = ({ text }) =>
  text ? (
    <p class="flash error" role="alert">
      {text}
    </p>
  ) : null;

/** The fields of a new account, in a form posting to `action`. */
const NewAccountForm: FC<{ action: string; csrf: string; input: AccountInput; submit: string }> = ({
  action,
  csrf,
  input,
  submit,
}) => (
  <form method="post" action={action} class="new-account">
    <CsrfField token={csrf} />
    <div class="field">
      <label for="signup-username">
        Username <span class="hint">letters, digits, '.', '_' and '-'</span>
      </label>
      <input
        type="text"
        id="signup-username"
        name="username"
        value={input.username}
        required
        maxlength={64}
      />
    </div>
    <div class="field">
      <label for="signup-display">Display name</label>
      <input type="text" id="signup-display" name="display_name" value={input.displayName} maxlength={200} />
    </div>
    <div class="field">
      <label for="signup-email">E-mail</label>
      <input type="text" inputmode="email" id="signup-email" name="email" value={input.email} />
    </div>
    <div class="field">
      <label for="signup-password">Password</label>
      <input type="password" id="signup-password" name="password" required autocomplete="new-password" />
    </div>
    <button type="submit" class="primary">
      {submit}
    </button>
  </form>
);

/** The page an invitation link opens: which wiki, which role; accept, or sign in / sign up first. */
export const InvitePage: FC<{
  chrome: Chrome;
  csrf: string;
  action: string;
  wiki: WikiRecord;
  role: Role;
  expiresAt: string;
  /** May someone without an account make one here (sign-up policy invite-only or open)? */
  canSignUp: boolean;
  input: AccountInput;
  problem: string | null;
}> = ({ chrome, csrf, action, wiki, role, expiresAt, canSignUp, input, problem }) => (
  <Layout chrome={chrome} title={`Invitation to ${wiki.title}`}>
    <div class="content-width">
      <h1 class="page-title">Invitation to {wiki.title}</h1>
      <Problem text={problem} />
      <p class="invite-offer">
        You are invited to the wiki <strong>{wiki.title}</strong> (/w/{wiki.slug}) as <strong>{role}</strong>.
        The invitation can be used once, until {expiresAt.slice(0, 16).replace('T', ' ')} UTC.
      </p>
      {chrome.user ? (
        <form method="post" action={action}>
          <CsrfField token={csrf} />
          <button type="submit" class="primary">
            Accept as {chrome.user.username}
          </button>
        </form>
      ) : (
        <>
          <p>
            Have an account? <a href={PLATFORM.login(action)}>Sign in</a> to accept.
          </p>
          {canSignUp ? (
            <section class="panel" aria-labelledby="signup-title">
              <h2 id="signup-title">New here? Create an account</h2>
              <NewAccountForm action={action} csrf={csrf} input={input} submit="Create account and accept" />
            </section>
          ) : (
            <p class="muted">New accounts are made by a platform admin here; ask one for an account first.</p>
          )}
        </>
      )}
    </div>
  </Layout>
);

/** Self sign-up (sign-up policy `open`). */
export const SignUpPage: FC<{
  chrome: Chrome;
  csrf: string;
  domains: string[];
  input: AccountInput;
  problem: string | null;
}> = ({ chrome, csrf, domains, input, problem }) => (
  <Layout chrome={chrome} title="Create an account">
    <div class="content-width">
      <h1 class="page-title">Create an account</h1>
      <Problem text={problem} />
      {domains.length > 0 && <p>New accounts need an e-mail address at {domains.join(', ')}.</p>}
      <NewAccountForm action={PLATFORM.signup} csrf={csrf} input={input} submit="Create account" />
      <p>
        Have an account already? <a href={PLATFORM.login(PLATFORM.wikis)}>Sign in</a>.
      </p>
    </div>
  </Layout>
);
