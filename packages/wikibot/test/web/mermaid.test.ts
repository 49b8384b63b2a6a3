import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, NO_CHROMIUM_REASON, openShowcase, signIn } from './chromium.js';
import { SHOWCASE_PATH } from './showcase.js';
import type { WebServer } from './support.js';

/** Mermaid's ~1 MB script: fetched only for a page with a diagram, after the page is shown. */
describe.skipIf(!HAS_CHROMIUM)(`Mermaid in Chromium (${HAS_CHROMIUM ? 'found' : NO_CHROMIUM_REASON})`, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  const mermaidRequests: string[] = [];

  beforeAll(async () => {
    ({ web, browser, page } = await openShowcase({ width: 1280, height: 900 }));
    page.on('request', (request) => {
      if (/mermaid/.test(new URL(request.url()).pathname)) mermaidRequests.push(request.url());
    });
    await signIn(page, web.url, web.people.editor.username, '/w/main/Home');
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('does not fetch Mermaid for a page without a diagram', async () => {
    await page.goto(`${web.url}/w/main/Home`);
    await page.waitForLoadState('networkidle');
    expect(mermaidRequests).toEqual([]);
  });

  it('fetches Mermaid after the page has loaded, then draws the diagram', async () => {
    await page.goto(`${web.url}/w/main/${SHOWCASE_PATH}`);
    await page.waitForSelector('pre.mermaid svg');
    expect(mermaidRequests).toHaveLength(1);
    const order = await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      const script = performance
        .getEntriesByType('resource')
        .find((entry) => new URL(entry.name).pathname.endsWith('/mermaid.js'));
      return { loaded: navigation?.loadEventEnd ?? Number.NaN, fetched: script?.startTime ?? Number.NaN };
    });
    expect(order.fetched).toBeGreaterThanOrEqual(order.loaded);
  });

  it('draws the diagram again in the new theme when the theme is switched', async () => {
    const before = await page.getAttribute('pre.mermaid', 'data-theme');
    await page.$eval('pre.mermaid svg', (svg) => svg.setAttribute('data-old', ''));
    await page.click('a.theme-toggle');
    const after = before === 'dark' ? 'light' : 'dark';
    await page.waitForFunction((theme) => {
      const pre = document.querySelector<HTMLElement>('pre.mermaid');
      return pre?.dataset.theme === theme && pre.querySelector('svg:not([data-old])') !== null;
    }, after);
    expect(await page.locator('pre.mermaid svg').count()).toBe(1);
  });
});
