import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildClientBundle,
  editorText,
  HAS_CHROMIUM,
  launchChromium,
  NO_CHROMIUM_REASON,
  newPage,
  signIn,
  typeIntoEditor,
} from './chromium.js';
import { PIXEL_PNG } from './fixtures.js';
import { SHOWCASE_PATH, writeShowcase } from './showcase.js';
import { startWebServer, type WebServer } from './support.js';

const require = createRequire(import.meta.url);

/**
 * A person using the wiki in a real browser (Debian's Chromium driven by playwright-core), with the
 * client bundle built from the current sources. Steps share one server and build on each other.
 */
describe.skipIf(!HAS_CHROMIUM)(`web UI in Chromium (${HAS_CHROMIUM ? 'found' : NO_CHROMIUM_REASON})`, () => {
  let web: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  const url = (path: string) => web.url + path;

  beforeAll(async () => {
    await buildClientBundle();
    web = await startWebServer();
    await writeShowcase(web);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await newPage(context);
    page.on('pageerror', (error) => {
      throw error;
    });
    shots = process.env.WIKIBOT_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'wikibot-shots-')));
    await mkdir(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    if (!process.env.WIKIBOT_SCREENSHOTS && shots) await rm(shots, { recursive: true, force: true });
  });

  it('logs in from a private page and comes back to it', async () => {
    await signIn(page, web.url, 'eddie', '/w/main/Operations/Runbook');
    expect(new URL(page.url()).pathname).toBe('/w/main/Operations/Runbook');
    expect(await page.textContent('h1.page-title')).toBe('Runbook');
    expect(await page.textContent('.site-header .user')).toContain('eddie');
  });

  it('creates a page with a wikilink to a missing page, shown as a red link', async () => {
    await page.click('a[data-shortcut=n]');
    await page.fill('input[name=path]', 'Trips/Summer');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.cm-editor');
    await typeIntoEditor(page, '# Summer\n\nPack using the [[Packing List]].\n');
    await page.fill('input[name=message]', 'Plan the summer trip');
    await Promise.all([page.waitForURL(url('/w/main/Trips/Summer')), page.click('button[value=save]')]);
    expect(await page.textContent('.flash.ok')).toBe('Created Trips/Summer.');
    const link = page.locator('.markdown a.wikilink.missing');
    expect(await link.textContent()).toBe('Packing List');
    const color = await link.evaluate((a) => getComputedStyle(a).color);
    expect(color).toBe('rgb(179, 38, 30)');
  });

  it('edits with the toolbar and a preview, and saves with Ctrl-S', async () => {
    await page.keyboard.press('e');
    await page.waitForSelector('.cm-editor');
    await typeIntoEditor(page, '# Summer\n\nPack using the [[Packing List]].\n\nBring ');
    await page.keyboard.insertText('sunscreen');
    await page.keyboard.press('Shift+Home');
    await page.click('.editor-toolbar button[data-action=bold]');
    expect(await editorText(page)).toContain('**Bring sunscreen**');
    await page.click('.editor-tabs button[data-tab=preview]');
    await page.waitForSelector('.editor-preview strong');
    expect(await page.textContent('.editor-preview strong')).toBe('Bring sunscreen');
    expect(await page.isVisible('.cm-editor')).toBe(false);
    await page.click('.editor-tabs button[data-tab=write]');
    await Promise.all([page.waitForURL(url('/w/main/Trips/Summer')), page.keyboard.press('Control+s')]);
    expect(await page.textContent('.markdown strong')).toBe('Bring sunscreen');
  });

  it('keeps a draft of unsaved text across a reload and offers it back', async () => {
    await page.goto(url('/w/main/-/edit/Trips/Summer'));
    await page.waitForSelector('.cm-editor');
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\nUnsaved thought.');
    await page.waitForFunction(() =>
      (localStorage.getItem('wikibot:draft:main/Trips/Summer') ?? '').includes('Unsaved thought.'),
    );
    await page.reload();
    await page.click('.editor-draft button:has-text("Restore draft")');
    expect(await editorText(page)).toContain('Unsaved thought.');
  });

  it('gives a second browser that edited the same lines a marked conflict without losing its text', async () => {
    const other = await browser.newContext();
    const second = await newPage(other);
    try {
      await signIn(second, web.url, 'olga', '/w/main/-/edit/Trips/Summer');
      await second.waitForSelector('.cm-editor');
      await page.goto(url('/w/main/-/edit/Trips/Summer'));
      await page.waitForSelector('.cm-editor');
      await typeIntoEditor(page, '# Summer\n\nFirst browser wins.\n');
      await Promise.all([page.waitForURL(url('/w/main/Trips/Summer')), page.click('button[value=save]')]);
      await typeIntoEditor(second, '# Summer\n\nSecond browser text that must survive.\n');
      await second.click('button[value=save]');
      await second.waitForSelector('.flash.error');
      expect(await second.textContent('.flash.error')).toContain('changed by someone else');
      await second.waitForSelector('.cm-editor');
      const marked = await editorText(second);
      expect(marked).toContain('<<<<<<< your edit\nSecond browser text that must survive.\n=======\n');
      expect(marked).toContain('First browser wins.\n>>>>>>> saved meanwhile');
      expect(await second.textContent('.cm-content')).toContain('Second browser text that must survive.');
    } finally {
      await other.close();
    }
  });

  it('compares revisions in the history and shows a diff', async () => {
    await page.goto(url('/w/main/Trips/Summer'));
    await page.keyboard.press('h');
    await page.waitForSelector('table.history');
    expect(await page.locator('table.history tbody tr').count()).toBe(3);
    await Promise.all([page.waitForURL(/\/-\/compare\//), page.click('text=Compare selected revisions')]);
    expect(await page.locator('table.diff tr.added td.text').allTextContents()).toEqual([
      'First browser wins.',
    ]);
    expect(await page.locator('table.diff tr.removed td.text').allTextContents()).toEqual([
      'Pack using the [[Packing List]].',
      '',
      '**Bring sunscreen**',
    ]);
  });

  it('shows who changed each line with blame', async () => {
    await page.goto(url('/w/main/Trips/Summer'));
    await page.keyboard.press('b');
    await page.waitForSelector('table.blame');
    expect(await page.locator('table.blame td.text').allTextContents()).toEqual([
      '# Summer',
      '',
      'First browser wins.',
    ]);
  });

  it('reverts the last change from the history', async () => {
    await page.goto(url('/w/main/-/history/Trips/Summer'));
    await page.click('table.history tbody tr:first-child a:has-text("revert")');
    await Promise.all([page.waitForURL(url('/w/main/Trips/Summer')), page.click('main button[type=submit]')]);
    expect(await page.textContent('.flash.ok')).toMatch(/^Reverted [0-9a-f]{7}\.$/);
    expect(await page.textContent('.markdown strong')).toBe('Bring sunscreen');
  });

  it('follows a red link to create the page, then renames it with its backlinks rewritten', async () => {
    await page.click('.markdown a.wikilink.missing');
    await page.click('a:has-text("Create this page")');
    await page.waitForSelector('.cm-editor');
    await typeIntoEditor(page, '# Packing List\n\n- sunscreen\n');
    await Promise.all([page.waitForURL(url('/w/main/Packing%20List')), page.click('button[value=save]')]);
    await page.click('.actions a:has-text("Rename")');
    await page.fill('input[name=new_path]', 'Trips/Packing List');
    await Promise.all([
      page.waitForURL(url('/w/main/Trips/Packing%20List')),
      page.click('main button[type=submit]'),
    ]);
    expect(await page.textContent('.flash.ok')).toBe(
      'Renamed Packing List to Trips/Packing List; links updated in 1 page.',
    );
    await page.goto(url('/w/main/Trips/Summer'));
    const link = page.locator('.markdown a.wikilink');
    expect(await link.getAttribute('href')).toBe('/w/main/Trips/Packing%20List');
    expect(await link.getAttribute('class')).toBe('wikilink');
  });

  it('attaches an image with the upload form and shows it inline', async () => {
    await page.goto(url('/w/main/-/attachments/Trips/Summer'));
    await page.setInputFiles('input[type=file]', {
      name: 'beach.png',
      mimeType: 'image/png',
      buffer: PIXEL_PNG,
    });
    await Promise.all([page.waitForURL(/\/-\/attachments\//), page.click('main button:has-text("Upload")')]);
    expect(await page.textContent('.flash.ok')).toBe('Uploaded beach.png.');
    await page.goto(url('/w/main/-/edit/Trips/Summer'));
    await page.waitForSelector('.cm-editor');
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n![The beach](beach.png)\n');
    await Promise.all([page.waitForURL(url('/w/main/Trips/Summer')), page.click('button[value=save]')]);
    const width = await page.locator('.markdown img[alt="The beach"]').evaluate(async (img) => {
      const image = img as HTMLImageElement;
      await image.decode();
      return image.naturalWidth;
    });
    expect(width).toBe(1);
  });

  it('attaches an image pasted into the editor and links it at the cursor', async () => {
    await page.goto(url('/w/main/-/edit/Trips/Summer'));
    await page.waitForSelector('.cm-editor');
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.evaluate(
      (bytes) => {
        const file = new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' });
        const data = new DataTransfer();
        data.items.add(file);
        const content = document.querySelector('.cm-content') as HTMLElement;
        content.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      },
      [...PIXEL_PNG],
    );
    await page.waitForFunction(() =>
      /!\[pasted-[^\]]+\.png\]\(pasted-[^)]+\.png\)/.test(
        (document.querySelector('textarea[name=content]') as HTMLTextAreaElement).value,
      ),
    );
    await Promise.all([page.waitForURL(url('/w/main/Trips/Summer')), page.click('button[value=save]')]);
    const pasted = page.locator('.markdown img[src*="/w/main/Trips/Summer/pasted-"]');
    const width = await pasted.evaluate(async (img) => {
      const image = img as HTMLImageElement;
      await image.decode();
      return image.naturalWidth;
    });
    expect(width).toBe(1);
  });

  it('searches from the header', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('runbook');
    await Promise.all([page.waitForURL(/\/-\/search\?q=runbook/), page.keyboard.press('Enter')]);
    expect(await page.locator('.search-results li a').allTextContents()).toContain('Runbook');
  });

  it('serves changelog feeds that parse as XML', async () => {
    await page.goto(url('/w/main/-/changelog'));
    for (const feed of ['changelog.atom', 'changelog.rss']) {
      const result = await page.evaluate(async (path) => {
        const text = await (await fetch(path)).text();
        const xml = new DOMParser().parseFromString(text, 'application/xml');
        return {
          error: xml.querySelector('parsererror')?.textContent ?? null,
          root: xml.documentElement.nodeName,
          items: xml.querySelectorAll('entry, item').length,
        };
      }, `/w/main/-/${feed}`);
      expect(result.error).toBeNull();
      expect(result.root).toBe(feed.endsWith('atom') ? 'feed' : 'rss');
      expect(result.items).toBeGreaterThan(5);
    }
  });

  it('lists every page in the A–Z index', async () => {
    await page.keyboard.press('i');
    await page.waitForSelector('.az-group');
    const names = await page.locator('.az-group a').allTextContents();
    expect(names).toEqual(
      expect.arrayContaining(['Home', 'Launch Plan', 'Packing List', 'Runbook', 'Summer']),
    );
  });

  it('renders the Markdown extensions, Mermaid and math finishing in the browser', async () => {
    await page.goto(url(`/w/main/${SHOWCASE_PATH}`));
    await page.waitForSelector('pre.mermaid svg');
    expect(await page.locator('.markdown .katex').count()).toBeGreaterThan(0);
    expect(await page.locator('.markdown-alert-note').count()).toBe(1);
    expect(await page.locator('.markdown pre code.hljs').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'view-light.png'), fullPage: false });
  });

  it('switches to dark mode, and the choice survives a reload', async () => {
    await page.click('a.theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(21, 23, 28)');
    await page.waitForSelector('pre.mermaid svg');
    await page.screenshot({ path: join(shots, 'view-dark.png'), fullPage: false });
    await page.click('a.theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
  });

  it('opens the list of keyboard shortcuts with ?', async () => {
    await page.keyboard.press('?');
    expect(await page.isVisible('dialog.shortcuts-help')).toBe(true);
    await page.click('dialog.shortcuts-help button.close');
    expect(await page.isVisible('dialog.shortcuts-help')).toBe(false);
  });

  it('logs out', async () => {
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/w/main/Projects')),
      page.click('button:has-text("Log out")'),
    ]);
    await page.goto(url('/w/main/'));
    expect(new URL(page.url()).pathname).toBe('/-/login');
  });

  it('has no serious or critical accessibility violations on the main pages (axe-core)', async () => {
    const a11y = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const checked = await newPage(a11y);
    try {
      await signIn(checked, web.url, 'eddie', `/w/main/${SHOWCASE_PATH}`);
      const axeSource = require.resolve('axe-core/axe.min.js');
      const pages: [name: string, path: string, ready: string][] = [
        ['view', `/w/main/${SHOWCASE_PATH}`, 'pre.mermaid svg'],
        ['edit', `/w/main/-/edit/${SHOWCASE_PATH}`, '.cm-editor'],
        ['history', `/w/main/-/history/${SHOWCASE_PATH}`, 'table.history'],
        ['search', '/w/main/-/search?q=launch', '.search-results'],
      ];
      for (const [name, path, ready] of pages) {
        await checked.goto(url(path));
        await checked.waitForSelector(ready);
        await checked.addScriptTag({ path: axeSource });
        const violations = await checked.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run(): Promise<{
                  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
                }>;
              };
            }
          ).axe;
          const { violations } = await axe.run();
          return violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        expect({ page: name, violations }).toEqual({ page: name, violations: [] });
        if (name !== 'view') await checked.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
      }
    } finally {
      await a11y.close();
    }
  });
});
