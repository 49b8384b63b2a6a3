import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../oauth/support/browser.js';
import { serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

describe('the first admin of a headless deployment', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await freshDataDir('wikibot-headless-');
  });
  afterAll(async () => {
    await removeDir(dataDir);
  });

  it('gets the password from WIKIBOT_ADMIN_PASSWORD: nothing printed, no change forced', async () => {
    const serve = await serveProcess(['--data', dataDir, '--port', '0'], {
      WIKIBOT_ADMIN_PASSWORD: 'headless-admin-secret',
    });
    try {
      expect(serve.output()).not.toContain('One-time password');
      expect(serve.output()).toContain('configured admin_password');
      const browser = new Browser();
      const page = await browser.get(`${serve.url}/-/login?next=%2F-%2Faccount`);
      const login = await browser.submit(
        page,
        { login: 'admin', password: 'headless-admin-secret' },
        '/-/login',
      );
      expect(login.status).toBe(303);
      expect(login.location).toBe(`${serve.url}/-/account`);
      expect((await browser.get(`${serve.url}/-/account`)).status).toBe(200);
    } finally {
      await serve.stop();
    }
  });
});
