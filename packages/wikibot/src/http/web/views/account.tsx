import type { FC } from 'hono/jsx';
import type { Membership } from '../../../platform/members.js';
import type { ApiToken } from '../../../platform/tokens.js';
import type { User } from '../../../platform/users.js';
import type { WikiRecord } from '../../../platform/wikis.js';
import type { Chrome } from '../chrome.js';
import { PLATFORM, wikiHome } from '../urls.js';
import { CsrfField } from './forms.js';
import { Layout } from './layout.js';
import { TokensPanel } from './settings.js';

export const ACCOUNT = {
  page: '/-/account',
  profile: '/-/account/profile',
  tokens: '/-/account/tokens',
  revoke: '/-/account/tokens/revoke',
} as const;

export const AccountPage: FC<{
  chrome: Chrome;
  user: User;
  memberships: Membership[];
  wikis: WikiRecord[];
  tokens: ApiToken[];
  created: string | null;
  problem: string | null;
}> = ({ chrome, user, memberships, wikis, tokens, created, problem }) => {
  // A platform admin owns every wiki without being a member of it.
  const roles = user.isAdmin
    ? wikis.map((w) => ({
        wiki: w.slug,
        role: memberships.find((m) => m.wiki === w.slug)?.role ?? 'owner (platform admin)',
      }))
    : memberships;
  return (
    <Layout chrome={chrome} title="Account">
      <div class="content-width">
        <h1 class="page-title">Account</h1>
        {problem && (
          <p class="flash error" role="alert">
            {problem}
          </p>
        )}
        <section class="panel" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <p>
            Signed in as <strong>{user.username}</strong>
            {user.isAdmin ? ' (platform administrator)' : ''}.{' '}
            {user.hasPassword && <a href="/-/login/password?next=%2F-%2Faccount">Change password</a>}
          </p>
          <form method="post" action={ACCOUNT.profile}>
            <CsrfField token={chrome.csrf} />
            <div class="field">
              <label for="display-name">Display name</label>
              <input type="text" id="display-name" name="display_name" value={user.displayName} required />
            </div>
            <div class="field">
              <label for="email">E-mail</label>
              <input type="text" inputmode="email" id="email" name="email" value={user.email ?? ''} />
            </div>
            <button type="submit" class="primary">
              Save profile
            </button>
          </form>
        </section>
        <section class="panel" aria-labelledby="wikis-title">
          <h2 id="wikis-title">Wikis</h2>
          {user.isAdmin && (
            <p class="muted">
              As a platform admin you may manage every wiki: <a href={PLATFORM.admin}>administration</a>.
            </p>
          )}
          {roles.length === 0 ? (
            <p class="muted">You have no role on any wiki yet.</p>
          ) : (
            <ul class="account-wikis">
              {roles.map((m) => (
                <li>
                  <a href={wikiHome(m.wiki)}>{wikis.find((w) => w.slug === m.wiki)?.title ?? m.wiki}</a> —{' '}
                  {m.role}
                </li>
              ))}
            </ul>
          )}
        </section>
        <TokensPanel
          csrf={chrome.csrf}
          action={ACCOUNT.tokens}
          revokeAction={ACCOUNT.revoke}
          tokens={tokens}
          created={created}
          showWiki
          wikiChoices={wikis}
        />
      </div>
    </Layout>
  );
};
