/**
 * A minimal browser for tests: real HTTP requests, a cookie jar, redirects followed one by one, and
 * HTML forms read and submitted the way a person's browser would (hidden fields included).
 */
export interface Page {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  /** Absolute Location of a redirect, if any. */
  location?: string;
}

interface Cookie {
  value: string;
  path: string;
  expires?: number;
}

export class Browser {
  private readonly jar = new Map<string, Map<string, Cookie>>();
  /** Every URL requested, in order. */
  readonly visited: string[] = [];

  /** `fetch`: how requests go out (e.g. support/loopbackHosts.ts for host mode's wiki hosts). */
  constructor(private readonly fetch: typeof globalThis.fetch = globalThis.fetch) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request('GET', url, undefined, headers);
  }

  async post(
    url: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.request('POST', url, body.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /**
   * Follow redirects from `page` until a page that is not a redirect, or a redirect to a URL for which
   * `stop` is true (e.g. the client's redirect URI), which is returned without being requested.
   */
  async follow(page: Page, stop: (url: string) => boolean = () => false): Promise<Page> {
    let current = page;
    for (let hops = 0; current.location && hops < 20; hops++) {
      if (stop(current.location)) return current;
      current = await this.get(current.location);
    }
    return current;
  }

  /** Submit the form on `page` whose action matches, with its hidden fields plus `fields`. */
  async submit(
    page: Page,
    fields: Record<string, string | string[]>,
    action?: string | RegExp,
  ): Promise<Page> {
    const form = forms(page.text).find(
      (f) =>
        action === undefined || (typeof action === 'string' ? f.action === action : action.test(f.action)),
    );
    if (!form)
      throw new Error(
        `No form${action ? ` with action ${action}` : ''} on ${page.url}:\n${page.text.slice(0, 500)}`,
      );
    return this.post(new URL(form.action || page.url, page.url).href, { ...form.hidden, ...fields });
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name)?.value;
  }

  clearCookies(): void {
    this.jar.clear();
  }

  private async request(
    method: string,
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<Page> {
    this.visited.push(url);
    const cookie = this.cookieHeader(url);
    const response = await this.fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers },
    });
    this.store(url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    return {
      status: response.status,
      url,
      headers: response.headers,
      text: await response.text(),
      ...(location ? { location: new URL(location, url).href } : {}),
    };
  }

  private cookieHeader(url: string): string {
    const { host, pathname } = new URL(url);
    const now = Date.now();
    return [...(this.jar.get(host) ?? new Map<string, Cookie>())]
      .filter(
        ([, c]) =>
          (c.expires === undefined || c.expires > now) &&
          (pathname === c.path ||
            pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) ||
            c.path === '/'),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  private store(url: string, setCookies: string[]): void {
    const { host } = new URL(url);
    const cookies = this.jar.get(host) ?? new Map<string, Cookie>();
    this.jar.set(host, cookies);
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const cookie: Cookie = { value: pair.slice(eq + 1), path: '/' };
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') cookie.path = value;
        if (key.toLowerCase() === 'max-age') cookie.expires = Date.now() + Number(value) * 1000;
        if (key.toLowerCase() === 'expires' && cookie.expires === undefined)
          cookie.expires = Date.parse(value);
      }
      if (cookie.expires !== undefined && cookie.expires <= Date.now()) cookies.delete(name);
      else cookies.set(name, cookie);
    }
  }
}

export interface Form {
  action: string;
  hidden: Record<string, string>;
}

/** The forms of a page with their hidden inputs. */
export function forms(html: string): Form[] {
  const result: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const action = decode(/\baction="([^"]*)"/i.exec(match[1] ?? '')?.[1] ?? '');
    const hidden: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b[^>]*>/gi)) {
      const tag = input[0];
      if (!/type="hidden"/i.test(tag)) continue;
      const name = /\bname="([^"]*)"/i.exec(tag)?.[1];
      if (name) hidden[decode(name)] = decode(/\bvalue="([^"]*)"/i.exec(tag)?.[1] ?? '');
    }
    result.push({ action, hidden });
  }
  return result;
}

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
