import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#f6f8fa;--card:#fff;--muted:#59636e;--accent:#0969da;--bad:#cf222e;--line:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--card:#161b22;--muted:#9198a1;--accent:#4493f8;--bad:#f85149;--line:#30363d}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:28rem;margin:8vh auto;padding:2rem;background:var(--card);border:1px solid var(--line);border-radius:12px}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;padding:.55rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}
button,.button{display:inline-block;margin-top:1.2rem;padding:.55rem 1.1rem;border-radius:6px;border:1px solid var(--line);background:var(--bg);color:var(--fg);font:inherit;cursor:pointer;text-decoration:none}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}.error{color:var(--bad);font-weight:600}
.muted{color:var(--muted);font-size:.9rem}ul.scopes{list-style:none;padding:0}ul.scopes li{margin:.5rem 0}
.divider{margin:1.5rem 0 .5rem;border-top:1px solid var(--line)}code{font-size:.9em}`;

function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title} · wikibot</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export interface UpstreamButton {
  name: string;
  label: string;
}

export function loginPage(view: {
  next: string;
  csrf: string;
  login?: string;
  error?: string;
  upstream: UpstreamButton[];
}): Html {
  return layout(
    'Sign in',
    html`<h1>Sign in to wikibot</h1>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<form method="post" action="/-/login">
<input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="next" value="${view.next}">
<label for="login">Username or e-mail</label>
<input type="text" id="login" name="login" value="${view.login ?? ''}" autocomplete="username" autofocus required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button class="primary" type="submit">Sign in</button>
</form>
${
  view.upstream.length
    ? html`<div class="divider"></div>${view.upstream.map(
        (u) =>
          html`<a class="button" href="/-/login/with/${u.name}?next=${encodeURIComponent(view.next)}">Sign in with ${u.label}</a> `,
      )}`
    : ''
}`,
  );
}

export function passwordChangePage(view: {
  next: string;
  csrf: string;
  username: string;
  error?: string;
  forced: boolean;
}): Html {
  return layout(
    'Choose a new password',
    html`<h1>Choose a new password</h1>
<p>${view.forced ? html`The password of <strong>${view.username}</strong> was for one use only.` : html`Signed in as <strong>${view.username}</strong>.`}</p>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<form method="post" action="/-/login/password">
<input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="next" value="${view.next}">
<label for="current">Current password</label>
<input type="password" id="current" name="current" autocomplete="current-password" required>
<label for="password">New password (at least 10 characters)</label>
<input type="password" id="password" name="password" autocomplete="new-password" minlength="10" required>
<label for="confirm">New password again</label>
<input type="password" id="confirm" name="confirm" autocomplete="new-password" minlength="10" required>
<button class="primary" type="submit">Save password</button>
</form>`,
  );
}

export interface ConsentResource {
  index: number;
  resource: string;
  wiki: { slug: string; title: string } | null;
  role: string | null;
  scopes: { scope: string; label: string; allowedByRole: boolean }[];
}

export function consentPage(view: {
  action: string;
  csrf: string;
  username: string;
  client: { id: string; name: string | null; redirectHost: string };
  resources: ConsentResource[];
  openidScopes: string[];
}): Html {
  const clientName = view.client.name ?? view.client.id;
  return layout(
    'Allow access?',
    html`<h1>Allow <em>${clientName}</em> to use your wikis?</h1>
<p class="muted">Signed in as <strong>${view.username}</strong>. Client id: <code>${view.client.id}</code></p>
<form method="post" action="${view.action}">
<input type="hidden" name="_csrf" value="${view.csrf}">
${view.resources.map(
  (
    r,
  ) => html`<h2>${r.wiki ? html`Wiki <em>${r.wiki.title}</em> (<code>${r.wiki.slug}</code>)` : html`<code>${r.resource}</code>`}</h2>
<p class="muted">${r.role ? `Your role there: ${r.role}.` : 'You have no role on this wiki.'}</p>
${
  r.scopes.length
    ? html`<ul class="scopes">${r.scopes.map(
        (
          s,
        ) => html`<li><label><input type="checkbox" name="scope" value="${r.index} ${s.scope}" checked> ${s.label}
<code>${s.scope}</code></label>${s.allowedByRole ? '' : html` <span class="muted">(your role does not allow this; it will have no effect)</span>`}</li>`,
      )}</ul>`
    : html`<p class="muted">The app asked for no wiki permissions.</p>`
}`,
)}
${view.openidScopes.length ? html`<p class="muted">Also: ${view.openidScopes.join(', ')} (your identity, and staying connected).</p>` : ''}
<p>Untick what you do not want to allow. You will then return to <strong>${view.client.redirectHost}</strong>.</p>
<button class="primary" type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function messagePage(title: string, message: string, link?: { href: string; label: string }): Html {
  return layout(
    title,
    html`<h1>${title}</h1><p>${message}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`,
  );
}

/** The same page as a plain string, for code that cannot return a Hono response (the provider's error renderer). */
export async function messagePageText(title: string, message: string): Promise<string> {
  return String(await messagePage(title, message));
}
