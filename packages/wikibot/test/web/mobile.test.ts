import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, NO_CHROMIUM_REASON, openShowcase, signIn } from './chromium.js';
import { SHOWCASE_PATH } from './showcase.js';
import type { WebServer } from './support.js';

/** The wiki on a phone: a 390 px wide viewport in Chromium, signed in as the wiki's owner. */
describe.skipIf(!HAS_CHROMIUM)(`web UI at 390 px (${HAS_CHROMIUM ? 'found' : NO_CHROMIUM_REASON})`, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let diffPath: string;

  beforeAll(async () => {
    ({ web, browser, page } = await openShowcase({ width: 390, height: 844 }));
    const first = await web.put('Wide', `# Wide\n\n| ${'column | '.repeat(12)}\n|${'---|'.repeat(12)}\n`);
    const second = await web.put('Wide', `# Wide\n\n${'a_very_long_unbroken_word_'.repeat(12)}\n`, first);
    diffPath = `/w/main/-/compare/Wide?from=${first}&to=${second}`;
    await signIn(page, web.url, web.people.owner.username, `/w/main/${SHOWCASE_PATH}`);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it.each([
    ['view', `/w/main/${SHOWCASE_PATH}`],
    ['a wide table', '/w/main/Wide'],
    ['history', `/w/main/-/history/${SHOWCASE_PATH}`],
    ['diff', 'DIFF'],
    ['settings', '/w/main/-/settings'],
    ['changelog', '/w/main/-/changelog'],
  ])('shows %s without scrolling the page sideways', async (_name, path) => {
    await page.goto(web.url + (path === 'DIFF' ? diffPath : path));
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.viewport).toBe(390);
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  });

  it('wraps long commands on the settings page and copies them with their Copy button', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
    await page.goto(`${web.url}/w/main/-/settings`);
    const command = page.locator('pre.config').first();
    const fits = await command.evaluate((pre) => pre.scrollWidth <= pre.clientWidth);
    expect(fits).toBe(true);
    const button = page.locator('pre.config + button.copy-button').first();
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await command.textContent());
  });

  it('keeps the header compact and opens a menu with the wiki links and the page tree', async () => {
    await page.goto(`${web.url}/w/main/${SHOWCASE_PATH}`);
    const header = await page.locator('.site-header').boundingBox();
    expect(header?.height).toBeLessThanOrEqual(64);
    expect(await page.isVisible('.site-header a:has-text("Changelog")')).toBe(false);
    await page.click('.site-header .menu-button');
    expect(await page.isVisible('.site-header a:has-text("Changelog")')).toBe(true);
    await page.click('.site-header a:has-text("Pages")');
    await expect.poll(() => page.locator('.sidebar .tree').first().isVisible()).toBe(true);
    const tree = await page.locator('.sidebar .tree').first().boundingBox();
    expect(tree?.y).toBeLessThan(844);
    expect(tree?.y).toBeGreaterThanOrEqual(0);
  });
});
