import type { FC } from 'hono/jsx';
import type { Config } from '../../../config.js';
import {
  LIMIT_KEYS,
  type LimitKey,
  type UsageLine,
  type UsageReport,
} from '../../../platform/limits/limits.js';
import type { User } from '../../../platform/users.js';
import type { WikiRecord } from '../../../platform/wikis.js';
import type { Chrome } from '../chrome.js';
import { formatBytes, shortDate } from '../present.js';
import { PLATFORM, wikiHome } from '../urls.js';
import { CsrfField, PostButton } from './forms.js';
import { Layout } from './layout.js';

export const ADMIN = {
  accounts: '/-/admin/accounts',
  update: '/-/admin/accounts/update',
} as const;

/** A one-time password just made, shown once. */
export interface Issued {
  username: string;
  password: string;
}

const LABELS: Record<LimitKey, string> = {
  pages: 'Pages',
  repo_bytes: 'Repository',
  attachment_bytes: 'Attachments (size)',
  attachments: 'Attachments',
};

function amount(key: LimitKey, value: number): string {
  return key.endsWith('_bytes') ? formatBytes(value) : String(value);
}

const Usage: FC<{ keyName: LimitKey; line: UsageLine }> = ({ keyName, line }) => (
  <td>
    {amount(keyName, line.used)}
    <span class="muted"> / {line.limit === null ? 'unlimited' : amount(keyName, line.limit)}</span>
  </td>
);

const AccountsPanel: FC<{ csrf: string | null; users: User[]; me: string | null }> = ({
  csrf,
  users,
  me,
}) => (
  <section class="panel" aria-labelledby="accounts-title">
    <h2 id="accounts-title">Accounts</h2>
    <table class="list accounts">
      <thead>
        <tr>
          <th scope="col">Username</th>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">State</th>
          <th scope="col">Created</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr data-user={user.username}>
            <td>{user.username}</td>
            <td>{user.displayName}</td>
            <td>{user.email ?? ''}</td>
            <td>
              {user.disabled ? 'disabled' : 'active'}
              {user.isAdmin ? ' · platform admin' : ''}
            </td>
            <td>{shortDate(user.createdAt)}</td>
            <td>
              {user.id !== me && (
                <PostButton
                  action={ADMIN.update}
                  csrf={csrf}
                  label={user.disabled ? 'Enable' : 'Disable'}
                  className={user.disabled ? undefined : 'danger'}
                  fields={{ login: user.id, change: user.disabled ? 'enable' : 'disable' }}
                />
              )}{' '}
              {user.hasPassword && (
                <PostButton
                  action={ADMIN.update}
                  csrf={csrf}
                  label="Reset password"
                  fields={{ login: user.id, change: 'reset' }}
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    <h3>New account</h3>
    <form method="post" action={ADMIN.accounts}>
      <CsrfField token={csrf} />
      <div class="field">
        <label for="account-username">Username</label>
        <input type="text" id="account-username" name="username" required maxlength={64} />
      </div>
      <div class="field">
        <label for="account-display">Display name</label>
        <input type="text" id="account-display" name="display_name" maxlength={200} />
      </div>
      <div class="field">
        <label for="account-email">E-mail</label>
        <input type="text" inputmode="email" id="account-email" name="email" />
      </div>
      <label>
        <input type="checkbox" name="admin" value="yes" /> Platform admin
      </label>
      <p class="hint">A one-time password is made and shown once; it must be changed at first sign-in.</p>
      <button type="submit" class="primary">
        Create account
      </button>
    </form>
  </section>
);

const WikisPanel: FC<{ wikis: WikiRecord[]; usage: UsageReport[] }> = ({ wikis, usage }) => (
  <section class="panel" aria-labelledby="all-wikis-title">
    <h2 id="all-wikis-title">Wikis, usage and limits</h2>
    <table class="list all-wikis">
      <thead>
        <tr>
          <th scope="col">Wiki</th>
          {LIMIT_KEYS.map((key) => (
            <th scope="col">{LABELS[key]}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {wikis.map((wiki) => {
          const report = usage.find((u) => u.slug === wiki.slug);
          return (
            <tr data-wiki={wiki.slug}>
              <td>
                <a href={wikiHome(wiki.slug)}>{wiki.title}</a> <span class="muted">/w/{wiki.slug}</span>
                {wiki.isPublic ? <span class="muted"> · public</span> : ''}
              </td>
              {report ? LIMIT_KEYS.map((key) => <Usage keyName={key} line={report[key]} />) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
    <p class="hint">
      Limits come from <code>[limits]</code> in the configuration file; a wiki's own limits are set with{' '}
      <code>PUT /api/v1/wikis/&lt;slug&gt;/limits</code>.
    </p>
  </section>
);

const PolicyPanel: FC<{ policy: Config['platform'] }> = ({ policy }) => (
  <section class="panel" aria-labelledby="policy-title">
    <h2 id="policy-title">Sign-up policy</h2>
    <p class="signup-policy">
      Sign-up: <strong>{policy.signup}</strong>
      {policy.signup_email_domains.length > 0 && (
        <> · e-mail domains: {policy.signup_email_domains.join(', ')}</>
      )}
    </p>
    <p class="hint">
      Set by <code>signup</code> and <code>signup_email_domains</code> under <code>[platform]</code> in the
      configuration file, or <code>WIKIBOT_SIGNUP</code> and <code>WIKIBOT_SIGNUP_EMAIL_DOMAINS</code>.
      {policy.signup === 'open' && (
        <>
          {' '}
          People sign up at <a href={PLATFORM.signup}>{PLATFORM.signup}</a>.
        </>
      )}
    </p>
  </section>
);

/** The platform admin's area: accounts, every wiki with its usage, the sign-up policy. */
export const AdminPage: FC<{
  chrome: Chrome;
  me: string | null;
  users: User[];
  wikis: WikiRecord[];
  usage: UsageReport[];
  policy: Config['platform'];
  issued: Issued | null;
  problem: string | null;
}> = ({ chrome, me, users, wikis, usage, policy, issued, problem }) => (
  <Layout chrome={chrome} title="Administration">
    <div class="content-width">
      <h1 class="page-title">Administration</h1>
      {problem && (
        <p class="flash error" role="alert">
          {problem}
        </p>
      )}
      {issued && (
        <div class="flash ok" role="status">
          <p>
            One-time password for <strong>{issued.username}</strong> — copy it now, it is not shown again:
          </p>
          <code class="secret" id="one-time-password">
            {issued.password}
          </code>
        </div>
      )}
      <AccountsPanel csrf={chrome.csrf} users={users} me={me} />
      <WikisPanel wikis={wikis} usage={usage} />
      <PolicyPanel policy={policy} />
    </div>
  </Layout>
);
