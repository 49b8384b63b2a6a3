import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, gitOk } from '../git-http/support.js';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import {
  buildClientBundle,
  HAS_CHROMIUM,
  launchChromium,
  NO_CHROMIUM_REASON,
  newPage,
  signIn,
  typeIntoEditor,
} from './chromium.js';
import { PASSWORD } from './support.js';

/**
 * Issue 13's bars, end to end: `wikibot serve` (its own process, sign-up invite-only) and three people
 * in their own Chromium profiles. The platform admin invites Alice; Alice makes an account from the
 * link, creates a wiki and invites Bob as editor; Bob joins; both edit; Bob clones with the git CLI
 * using an API token, pushes a page, and it shows in the web UI; the admin sees both wikis' usage.
 * Steps share the server and build on each other.
 */
describe.skipIf(!HAS_CHROMIUM)(
  `platform bars in Chromium (${HAS_CHROMIUM ? 'found' : NO_CHROMIUM_REASON})`,
  () => {
    let dataDir: string;
    let work: string;
    let server: ServeProcess;
    let browser: Browser;
    let admin: Page;
    let alice: Page;
    let bob: Page;
    let bobToken: string;
    const url = (path: string) => server.url + path;

    /** A person in their own browser profile (own cookies). */
    async function person(): Promise<Page> {
      const page = await newPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
      page.on('pageerror', (error) => {
        throw error;
      });
      return page;
    }

    /** From a wiki's settings, an invitation link for `role`, as the owner copies it. */
    async function inviteLink(page: Page, slug: string, role: string): Promise<string> {
      await page.goto(url(`/w/${slug}/-/settings`));
      await page.selectOption('#invite-role', role);
      await Promise.all([page.waitForSelector('#new-invite'), page.click('text=Create invitation link')]);
      return ((await page.textContent('#new-invite')) ?? '').trim();
    }

    /** Open an invitation link as a newcomer and make an account from it. */
    async function joinWithNewAccount(
      page: Page,
      link: string,
      username: string,
      slug: string,
    ): Promise<void> {
      await page.goto(link);
      await page.fill('#signup-username', username);
      await page.fill('#signup-password', PASSWORD);
      await Promise.all([page.waitForURL(url(`/w/${slug}/`)), page.click('text=Create account and accept')]);
    }

    async function savePage(page: Page, slug: string, path: string, text: string): Promise<void> {
      await page.goto(url(`/w/${slug}/-/edit/${path}`));
      await page.waitForSelector('.cm-editor');
      await typeIntoEditor(page, text);
      await Promise.all([page.waitForURL(url(`/w/${slug}/${path}`)), page.click('button[value=save]')]);
    }

    beforeAll(async () => {
      await buildClientBundle();
      dataDir = await mkdtemp(join(tmpdir(), 'wikibot-bars-'));
      work = await mkdtemp(join(tmpdir(), 'wikibot-bars-git-'));
      server = await serveProcess(['--data', dataDir, '--host', '127.0.0.1', '--port', '0'], {
        WIKIBOT_SIGNUP: 'invite-only',
        WIKIBOT_ADMIN_PASSWORD: PASSWORD,
      });
      browser = await launchChromium();
      [admin, alice, bob] = await Promise.all([person(), person(), person()]);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (dataDir) await removeDir(dataDir);
      if (work) await removeDir(work);
    });

    it('the platform admin creates a wiki and invites a newcomer by link', async () => {
      await signIn(admin, server.url, 'admin', '/-/wikis');
      await admin.fill('#wiki-slug', 'welcome');
      await admin.fill('#wiki-title', 'Welcome');
      await Promise.all([admin.waitForURL(url('/w/welcome/')), admin.click('text=Create wiki')]);
      const link = await inviteLink(admin, 'welcome', 'viewer');
      expect(link).toMatch(new RegExp(`^${server.url}/-/invites/wbi_`));

      await alice.goto(link);
      expect(await alice.textContent('.invite-offer')).toContain('as viewer');
      await joinWithNewAccount(alice, link, 'alice', 'welcome');
      expect(await alice.textContent('.site-header .user')).toContain('alice');
    });

    it('the newcomer signs in again, creates a wiki and invites a second person as editor, who joins', async () => {
      await alice.click('text=Log out');
      await signIn(alice, server.url, 'alice', '/-/wikis');
      expect(await alice.textContent('table.my-wikis')).toContain('Welcome');
      await alice.fill('#wiki-slug', 'alpha');
      await alice.fill('#wiki-title', 'Alpha team');
      await Promise.all([alice.waitForURL(url('/w/alpha/')), alice.click('text=Create wiki')]);
      expect(await alice.textContent('.flash.ok')).toContain('Alpha team');

      const link = await inviteLink(alice, 'alpha', 'editor');
      await joinWithNewAccount(bob, link, 'bob', 'alpha');
      await alice.goto(url('/w/alpha/-/settings'));
      const members = (await alice.textContent('section[aria-labelledby=members-title] table')) ?? '';
      expect(members).toMatch(/alice[\s\S]*bob/);
      expect(await roleShown(alice, 'bob')).toBe('editor');
    });

    it('both edit a page in the browser', async () => {
      await savePage(alice, 'alpha', 'Plan', '# Plan\n\nShip the wiki.\n');
      await savePage(bob, 'alpha', 'Plan', '# Plan\n\nShip the wiki.\n\nReviewed by Bob.\n');
      await alice.goto(url('/w/alpha/Plan'));
      expect(await alice.textContent('.markdown')).toContain('Reviewed by Bob.');
    });

    it('the second person makes an API token and clones, commits and pushes with the git CLI', async () => {
      await bob.goto(url('/-/account'));
      await bob.fill('#token-name', 'laptop git');
      await bob.selectOption('#token-wiki', 'alpha');
      await Promise.all([bob.waitForSelector('#new-token'), bob.click('text=Create token')]);
      bobToken = ((await bob.textContent('#new-token')) ?? '').trim();
      expect(bobToken).toMatch(/^wbt_/);

      const clone = join(work, 'alpha');
      await gitOk(work, ['clone', '--quiet', cloneUrl(server.url, 'alpha', bobToken), clone]);
      await writeFile(join(clone, 'Pushed.md'), '# Pushed\n\nWritten with git by Bob.\n');
      await gitOk(clone, ['add', '--', 'Pushed.md']);
      await gitOk(clone, ['commit', '--quiet', '-m', 'Add Pushed']);
      await gitOk(clone, ['push', '--quiet', 'origin', 'HEAD']);

      await bob.goto(url('/w/alpha/Pushed'));
      expect(await bob.textContent('h1.page-title')).toBe('Pushed');
      expect(await bob.textContent('.markdown')).toContain('Written with git by Bob.');
    });

    it('the platform admin sees both wikis with their usage in the admin area', async () => {
      await admin.goto(url('/-/admin'));
      for (const slug of ['welcome', 'alpha']) {
        expect(await admin.isVisible(`tr[data-wiki=${slug}]`)).toBe(true);
      }
      const alpha = (await admin.textContent('tr[data-wiki=alpha]')) ?? '';
      expect(alpha).toContain('Alpha team');
      const pages = Number(/(\d+)\s*\//.exec(alpha.replace('/w/alpha', ''))?.[1]);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(await admin.textContent('table.accounts')).toMatch(/alice[\s\S]*bob|bob[\s\S]*alice/);
      expect(await admin.textContent('.signup-policy')).toContain('invite-only');
    });

    it('the platform admin makes an account whose one-time password works once, then must be changed', async () => {
      await admin.fill('#account-username', 'carol');
      await Promise.all([admin.waitForSelector('#one-time-password'), admin.click('text=Create account')]);
      const oneTime = ((await admin.textContent('#one-time-password')) ?? '').trim();
      expect(await admin.textContent('tr[data-user=carol]')).toContain('active');

      const carol = await person();
      await carol.goto(url('/-/login?next=%2F-%2Fwikis'));
      await carol.fill('input[name=login]', 'carol');
      await carol.fill('input[name=password]', oneTime);
      await Promise.all([carol.waitForURL(/\/-\/login\/password/), carol.click('button[type=submit]')]);
      await carol.fill('#current', oneTime);
      await carol.fill('#password', `${PASSWORD} for carol`);
      await carol.fill('#confirm', `${PASSWORD} for carol`);
      await Promise.all([carol.waitForURL(url('/-/wikis')), carol.click('button[type=submit]')]);
      expect(await carol.textContent('h1.page-title')).toBe('My wikis');
    });
  },
);

/** The role the settings page shows for a member. */
function roleShown(page: Page, username: string): Promise<string> {
  const row = page.locator('section[aria-labelledby=members-title] tr', { hasText: `(${username})` });
  return row.locator('select').inputValue();
}
