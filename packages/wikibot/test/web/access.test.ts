import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, Visitor, type WebServer, wikiPath } from './support.js';

describe('web UI permissions', () => {
  let web: WebServer;
  beforeAll(async () => {
    web = await startWebServer();
    await web.put('Home', '# Home\n\nWelcome.');
  });
  afterAll(() => web.stop());

  it('sends anonymous visitors of a private wiki to the login page, coming back afterwards', async () => {
    const reply = await new Visitor(web.url).get('/w/main/Home');
    expect(reply.status).toBe(303);
    expect(reply.location).toBe('/-/login?next=%2Fw%2Fmain%2FHome');
  });

  it('lets anyone read a public wiki but offers no edit form, and refuses edits', async () => {
    await web.setPublic(true);
    try {
      const anonymous = new Visitor(web.url);
      const view = await anonymous.get('/w/main/Home');
      expect(view.status).toBe(200);
      expect(view.page.text('.markdown')).toContain('Welcome.');
      expect(view.page.has('a[data-shortcut=e]')).toBe(false);
      const form = await anonymous.get(wikiPath('Home', 'edit'));
      expect(form.status).toBe(303);
      expect(form.location).toContain('/-/login?next=');
      const post = await anonymous.post(wikiPath('Home', 'edit'), { content: 'vandalised', revision: '' });
      expect(post.status).toBeGreaterThanOrEqual(400);
      expect((await anonymous.get('/w/main/Home')).page.text('.markdown')).toContain('Welcome.');
    } finally {
      await web.setPublic(false);
    }
  });

  it('shows viewers the page without edit links and refuses them the editor and its posts', async () => {
    const vera = new Visitor(web.url);
    await vera.login(web.people.viewer.username);
    const view = await vera.get('/w/main/Home');
    expect(view.status).toBe(200);
    expect(view.page.has('a[data-shortcut=e]')).toBe(false);
    expect(view.page.has('a[data-shortcut=n]')).toBe(false);
    expect((await vera.get(wikiPath('Home', 'edit'))).status).toBe(403);
    const post = await vera.post(wikiPath('Home', 'edit'), {
      content: 'changed by a viewer',
      revision: '',
      action: 'save',
    });
    expect(post.status).toBe(403);
    expect((await vera.post(wikiPath('Home', 'delete'), {})).status).toBe(403);
    expect((await vera.get('/w/main/-/settings')).status).toBe(403);
    expect((await vera.get('/w/main/Home')).page.text('.markdown')).toContain('Welcome.');
  });

  it('refuses a signed-in form post without the CSRF token', async () => {
    const eddie = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
    const view = await eddie.get('/w/main/Home');
    expect(view.page.has('a[data-shortcut=e]')).toBe(true);
    const forged = await eddie.post(wikiPath('Home', 'edit'), {
      _csrf: '',
      content: 'forged',
      action: 'save',
    });
    expect(forged.status).toBe(403);
    const wrong = await eddie.post(wikiPath('Home', 'delete'), { _csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect((await eddie.get('/w/main/Home')).status).toBe(200);
  });

  it('only owners reach the settings', async () => {
    const eddie = new Visitor(web.url);
    await eddie.login(web.people.editor.username);
    expect((await eddie.get('/w/main/-/settings')).status).toBe(403);
    const olga = new Visitor(web.url);
    await olga.login(web.people.owner.username);
    const settings = await olga.get('/w/main/-/settings');
    expect(settings.status).toBe(200);
    expect(settings.page.has('a[href="/w/main/-/settings"]')).toBe(true);
  });

  it('accepts API tokens as the credential: a read token cannot edit', async () => {
    const reader = new Visitor(web.url, await web.token(['wiki:read']));
    expect((await reader.get('/w/main/Home')).status).toBe(200);
    expect((await reader.get(wikiPath('Home', 'edit'))).status).toBe(403);
    const writer = new Visitor(web.url, await web.token(['wiki:read', 'wiki:write']));
    expect((await writer.get(wikiPath('Home', 'edit'))).status).toBe(200);
  });

  it('lists only the wikis a person may read on the start page', async () => {
    await web.server.services.registry.create('secret', { title: 'Secret', template: false });
    const vera = new Visitor(web.url);
    await vera.login(web.people.viewer.username);
    const start = await vera.get('/');
    expect(start.status).toBe(302);
    expect(start.location).toBe('/w/main/');
  });

  it('never redirects off-site from the theme switch', async () => {
    const reply = await new Visitor(web.url).get('/-/theme?set=dark&next=//evil.example/');
    expect(reply.status).toBe(303);
    expect(reply.location).toBe('/');
    expect(reply.headers.getSetCookie().join()).toContain('wikibot_theme=dark');
  });

  it('serves the site icon to anyone, at /favicon.ico too', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const reply = await new Visitor(web.url).get(path);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('image/svg+xml');
      expect(reply.text).toMatch(/^<svg /);
    }
  });
});

describe('web UI next to the other doors', () => {
  let web: WebServer;
  beforeAll(async () => {
    web = await startWebServer();
  });
  afterAll(() => web.stop());

  it('leaves unknown REST and MCP paths to their doors (JSON, not pages)', async () => {
    const token = await web.token(['wiki:read']);
    const rest = await web.server.call('GET', '/w/main/api/v1/no-such-route', { token });
    expect(rest.status).toBe(404);
    expect(rest.headers.get('content-type')).toContain('application/json');
    const page = await web.server.call('GET', '/w/main/api/v1/pages/Nope', { token });
    expect(page.json).toEqual({ error: 'Page not found: Nope' });
    const mcp = await web.server.call('GET', '/w/main/mcp', { token });
    expect(mcp.headers.get('content-type') ?? '').not.toContain('text/html');
  });
});
