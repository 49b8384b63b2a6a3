import type { FC } from 'hono/jsx';
import { type Member, ROLES } from '../../../platform/members.js';
import type { Invite } from '../../../platform/service/index.js';
import type { ApiToken } from '../../../platform/tokens.js';
import type { WikiRecord } from '../../../platform/wikis.js';
import type { Chrome } from '../chrome.js';
import type { Connection } from '../connect.js';
import { shortDate } from '../present.js';
import { CsrfField, PostButton } from './forms.js';
import { Layout } from './layout.js';

export const SCOPE_CHOICES = [
  ['wiki:read', 'Read pages and search'],
  ['wiki:write', 'Create, edit, rename and delete pages'],
  ['wiki:admin', 'Manage this wiki'],
] as const;

/** Create and revoke API tokens; a new token's value is shown once, here. */
export const TokensPanel: FC<{
  csrf: string | null;
  action: string;
  revokeAction: string;
  tokens: ApiToken[];
  created: string | null;
  showWiki?: boolean;
  /** Account tokens may be limited to one wiki (default: every wiki the account can use). */
  wikiChoices?: WikiRecord[];
}> = ({ csrf, action, revokeAction, tokens, created, showWiki, wikiChoices }) => {
  const live = tokens.filter((t) => t.revokedAt === null);
  return (
    <section class="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      {created && (
        <div class="flash ok" role="status">
          <p>New token — copy it now, it is not shown again:</p>
          <code class="secret" id="new-token">
            {created}
          </code>
        </div>
      )}
      {live.length === 0 ? (
        <p class="muted">No tokens yet.</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              {showWiki && <th scope="col">Wiki</th>}
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {live.map((token) => (
              <tr>
                <td>{token.name}</td>
                {showWiki && <td>{token.wiki ?? 'all'}</td>}
                <td>{token.scopes.join(' ')}</td>
                <td>{shortDate(token.createdAt)}</td>
                <td>{token.expiresAt ? shortDate(token.expiresAt) : 'never'}</td>
                <td>{token.lastUsedAt ? shortDate(token.lastUsedAt) : 'never'}</td>
                <td>
                  <PostButton
                    action={revokeAction}
                    csrf={csrf}
                    label="Revoke"
                    className="danger"
                    fields={{ id: token.id }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>New token</h3>
      <form method="post" action={action}>
        <CsrfField token={csrf} />
        <div class="field">
          <label for="token-name">Name</label>
          <input
            type="text"
            id="token-name"
            name="name"
            required
            maxlength={100}
            placeholder="e.g. Claude Code on my laptop"
          />
        </div>
        {wikiChoices && (
          <div class="field">
            <label for="token-wiki">Wiki</label>
            <select id="token-wiki" name="wiki">
              <option value="">Every wiki I can use</option>
              {wikiChoices.map((wiki) => (
                <option value={wiki.slug}>{wiki.title}</option>
              ))}
            </select>
          </div>
        )}
        <fieldset class="field">
          <legend>Scopes</legend>
          {SCOPE_CHOICES.map(([scope, label]) => (
            <label>
              <input type="checkbox" name="scopes" value={scope} checked={scope !== 'wiki:admin'} /> {scope}{' '}
              <span class="hint">{label}</span>
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="token-days">
            Expires after <span class="hint">days; empty for never</span>
          </label>
          <input type="text" inputmode="numeric" id="token-days" name="expires_days" value="90" size={6} />
        </div>
        <button type="submit" class="primary">
          Create token
        </button>
      </form>
    </section>
  );
};

export const ConnectPanel: FC<{ connection: Connection }> = ({ connection }) => (
  <section class="panel" aria-labelledby="connect-title">
    <h2 id="connect-title">Connect an agent (MCP)</h2>
    <p>
      MCP endpoint: <code>{connection.mcpUrl}</code>. Agents that support OAuth sign in with your account;
      others use an API token from above.
    </p>
    <h3>Claude Code</h3>
    <pre class="config">{connection.claudeCode}</pre>
    <p class="muted">With an API token instead of signing in:</p>
    <pre class="config">{connection.claudeCodeWithToken}</pre>
    <h3>Claude Desktop</h3>
    <p class="muted">
      In <code>claude_desktop_config.json</code> (Settings → Developer → Edit config):
    </p>
    <pre class="config">{connection.claudeDesktop}</pre>
    <h3>claude.ai</h3>
    <p>
      Settings → Connectors → Add custom connector, paste <code>{connection.mcpUrl}</code>, then sign in when
      asked.
    </p>
    {connection.localOnly && (
      <p class="flash warn local-only">
        claude.ai connects from Anthropic's servers, so it cannot reach this address, which names this machine
        only. Serve the wiki at a public HTTPS address first and set it as the base URL:{' '}
        <code>WIKIBOT_BASE_URL</code>, or <code>base_url</code> in the configuration file.
      </p>
    )}
    <h3>REST API and git</h3>
    <pre class="config">{`curl -H "Authorization: Bearer <token>" ${connection.apiUrl}/pages\ngit clone ${connection.gitUrl}   # password: an API token`}</pre>
  </section>
);

const RoleSelect: FC<{ id: string; selected: string; label: string }> = ({ id, selected, label }) => (
  <>
    <label class="visually-hidden" for={id}>
      {label}
    </label>
    <select id={id} name="role">
      {ROLES.map((role) => (
        <option value={role} selected={role === selected}>
          {role}
        </option>
      ))}
    </select>
  </>
);

/** Who may do what: viewers read, editors also write, owners also manage. */
export const MembersPanel: FC<{ csrf: string | null; slug: string; members: Member[]; admins: string[] }> = ({
  csrf,
  slug,
  members,
  admins,
}) => (
  <section class="panel" aria-labelledby="members-title">
    <h2 id="members-title">Members</h2>
    {admins.length > 0 && (
      <p class="platform-admins">Owners of every wiki as platform admins: {admins.join(', ')}.</p>
    )}
    {members.length === 0 ? (
      <p class="muted">No members yet.</p>
    ) : (
      <table class="list">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr>
              <td>
                {member.displayName} <span class="muted">({member.username})</span>
              </td>
              <td>
                <form class="form-row" method="post" action={`/w/${slug}/-/settings/members`}>
                  <CsrfField token={csrf} />
                  <input type="hidden" name="login" value={member.username} />
                  <RoleSelect
                    id={`role-${member.userId}`}
                    selected={member.role}
                    label={`Role of ${member.username}`}
                  />
                  <button type="submit">Change</button>
                </form>
              </td>
              <td>
                <PostButton
                  action={`/w/${slug}/-/settings/members/remove`}
                  csrf={csrf}
                  label="Remove"
                  className="danger"
                  fields={{ user: member.userId }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    <h3>Add a member</h3>
    <form class="form-row" method="post" action={`/w/${slug}/-/settings/members`}>
      <CsrfField token={csrf} />
      <label for="member-login">Username or e-mail</label>
      <input type="text" id="member-login" name="login" required />
      <RoleSelect id="member-role" selected="editor" label="Role" />
      <button type="submit" class="primary">
        Add
      </button>
    </form>
  </section>
);

/** Invitation links: made with a role and an expiry, shown once; pending ones can be revoked. */
export const InvitesPanel: FC<{
  csrf: string | null;
  slug: string;
  invites: Invite[];
  link: string | null;
}> = ({ csrf, slug, invites, link }) => (
  <section class="panel" aria-labelledby="invites-title">
    <h2 id="invites-title">Invite by link</h2>
    {link && (
      <div class="flash ok" role="status">
        <p>New invitation link — copy it now, it is not shown again. Whoever opens it first may take it:</p>
        <code class="secret" id="new-invite">
          {link}
        </code>
      </div>
    )}
    {invites.length === 0 ? (
      <p class="muted">No pending invitations.</p>
    ) : (
      <table class="list invites">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invites.map((invite) => (
            <tr>
              <td>{invite.role}</td>
              <td>{shortDate(invite.createdAt)}</td>
              <td>{shortDate(invite.expiresAt)}</td>
              <td>
                <PostButton
                  action={`/w/${slug}/-/settings/invites/revoke`}
                  csrf={csrf}
                  label="Revoke"
                  className="danger"
                  fields={{ id: invite.id }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    <form class="form-row" method="post" action={`/w/${slug}/-/settings/invites`}>
      <CsrfField token={csrf} />
      <RoleSelect id="invite-role" selected="editor" label="Role" />
      <label for="invite-days">Expires after (days)</label>
      <input type="text" inputmode="numeric" id="invite-days" name="expires_days" value="7" size={4} />
      <button type="submit" class="primary">
        Create invitation link
      </button>
    </form>
  </section>
);

export const VisibilityPanel: FC<{ csrf: string | null; slug: string; isPublic: boolean }> = ({
  csrf,
  slug,
  isPublic,
}) => (
  <section class="panel" aria-labelledby="visibility-title">
    <h2 id="visibility-title">Visibility</h2>
    <p>
      {isPublic
        ? 'This wiki is public: anyone can read it, without signing in. Only members can change it.'
        : 'This wiki is private: only its members can read it.'}
    </p>
    {isPublic ? (
      <PostButton
        action={`/w/${slug}/-/settings/public`}
        csrf={csrf}
        label="Make private"
        fields={{ public: 'false' }}
      />
    ) : (
      <form class="make-public" method="post" action={`/w/${slug}/-/settings/public`}>
        <CsrfField token={csrf} />
        <input type="hidden" name="public" value="true" />
        <label>
          <input type="checkbox" name="confirm" value="yes" required /> Anyone on the internet, without
          signing in, may read every page, attachment and revision of this wiki.
        </label>
        <button type="submit" class="danger">
          Make public
        </button>
      </form>
    )}
  </section>
);

export const SettingsPage: FC<{
  chrome: Chrome;
  members: Member[];
  invites: Invite[];
  inviteLink: string | null;
  /** Usernames of the platform admins, who own every wiki without being members. */
  admins: string[];
  tokens: ApiToken[];
  created: string | null;
  connection: Connection;
  problem: string | null;
}> = ({ chrome, members, invites, inviteLink, admins, tokens, created, connection, problem }) => {
  const slug = chrome.wiki?.slug ?? '';
  return (
    <Layout chrome={chrome} title="Settings">
      <div class="content-width">
        <h1 class="page-title">Settings</h1>
        {problem && (
          <p class="flash error" role="alert">
            {problem}
          </p>
        )}
        <VisibilityPanel csrf={chrome.csrf} slug={slug} isPublic={chrome.wiki?.isPublic ?? false} />
        <MembersPanel csrf={chrome.csrf} slug={slug} members={members} admins={admins} />
        <InvitesPanel csrf={chrome.csrf} slug={slug} invites={invites} link={inviteLink} />
        <TokensPanel
          csrf={chrome.csrf}
          action={`/w/${slug}/-/settings/tokens`}
          revokeAction={`/w/${slug}/-/settings/tokens/revoke`}
          tokens={tokens}
          created={created}
        />
        <ConnectPanel connection={connection} />
      </div>
    </Layout>
  );
};
