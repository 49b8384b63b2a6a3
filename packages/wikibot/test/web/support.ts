import type { Role } from '../../src/platform/members.js';
import type { Scope } from '../../src/platform/tokens.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { Page } from './html.js';

export const PASSWORD = 'correct horse battery staple';

export interface Person {
  id: string;
  username: string;
}

/** A real wikibot with the wiki "main" and one person per role on it. */
export interface WebServer {
  url: string;
  server: TestServer;
  people: Record<Role, Person>;
  /** An API token (no account) for the wiki, for writing fixtures through the REST API. */
  token(scopes?: Scope[]): Promise<string>;
  /** Write a page through the REST API (as fixture), returning its revision. */
  put(path: string, content: string, revision?: string): Promise<string>;
  setPublic(isPublic: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebServer(): Promise<WebServer> {
  const server = await startTestServer();
  const { users, members } = server.services.auth;
  const people = {} as Record<Role, Person>;
  for (const role of ['viewer', 'editor', 'owner'] as const) {
    const user = await users.create({
      username: role === 'owner' ? 'olga' : role === 'editor' ? 'eddie' : 'vera',
      password: PASSWORD,
    });
    await members.grant('main', user.id, role);
    people[role] = { id: user.id, username: user.username };
  }
  const admin = await server.token(['wiki:read', 'wiki:write', 'wiki:admin']);
  return {
    get url() {
      return server.url;
    },
    server,
    people,
    token: (scopes = ['wiki:read', 'wiki:write']) => server.token(scopes),
    async put(path, content, revision) {
      const response = await server.call(
        'PUT',
        `/w/main/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`,
        {
          token: admin,
          body: { content, ...(revision ? { revision } : {}) },
        },
      );
      if (response.status >= 300) throw new Error(`PUT ${path}: ${response.status} ${response.text}`);
      return response.json.revision as string;
    },
    setPublic: (isPublic) => members.setPublic('main', isPublic),
    async stop() {
      await server.stop();
      await removeDir(server.dataDir);
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  location: string | null;
  text: string;
  page: Page;
}

/**
 * A browser without JavaScript: keeps cookies, follows nothing by itself, posts forms as
 * application/x-www-form-urlencoded or multipart (with files) like a browser would.
 */
export class Visitor {
  private readonly cookies = new Map<string, string>();
  /** The CSRF token of this visitor's session, once signed in. */
  csrf = '';

  constructor(
    private readonly base: string,
    private readonly bearer?: string,
  ) {}

  async get(path: string): Promise<Reply> {
    return this.send('GET', path);
  }

  /** Post a form; `_csrf` is added unless the fields say otherwise. */
  async post(
    path: string,
    fields: Record<string, string>,
    files?: { name: string; filename: string; type: string; body: Buffer }[],
  ): Promise<Reply> {
    const all = { _csrf: this.csrf, ...fields };
    if (!files) return this.send('POST', path, new URLSearchParams(all), { accept: 'text/html' });
    const form = new FormData();
    for (const [name, value] of Object.entries(all)) form.set(name, value);
    for (const file of files)
      form.append(file.name, new Blob([new Uint8Array(file.body)], { type: file.type }), file.filename);
    return this.send('POST', path, form, { accept: 'text/html' });
  }

  /** Sign in through the real login form. */
  async login(username: string, password = PASSWORD): Promise<void> {
    const form = (await this.get('/-/login')).page;
    const csrf = form.attr('form input[name=_csrf]', 'value') ?? '';
    const done = await this.send(
      'POST',
      '/-/login',
      new URLSearchParams({ _csrf: csrf, login: username, password, next: '/-/account' }),
    );
    if (done.status !== 303)
      throw new Error(`login of ${username} failed: ${done.status} ${done.text.slice(0, 300)}`);
    const account = await this.get('/-/account');
    this.csrf = account.page.attr('form input[name=_csrf]', 'value') ?? '';
    if (!this.csrf) throw new Error('no CSRF token after signing in');
  }

  /** The Cookie header this visitor sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(
    method: string,
    path: string,
    body?: BodyInit,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const response = await fetch(this.base + path, {
      method,
      body: body ?? null,
      redirect: 'manual',
      headers: {
        ...headers,
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
      },
    });
    for (const line of response.headers.getSetCookie()) this.remember(line);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      location: response.headers.get('location'),
      text,
      page: new Page(text),
    };
  }

  private remember(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** `/w/main/<path>` with each segment encoded. */
export function wikiPath(path: string, action?: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return action ? `/w/main/-/${action}/${encoded}` : `/w/main/${encoded}`;
}
