import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildClient } from '../../client/build.mjs';
import { writeShowcase } from './showcase.js';
import { PASSWORD, startWebServer, type WebServer } from './support.js';

/** Debian's Chromium (apt-get install chromium); the browser tests need it and say so when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const NO_CHROMIUM_REASON = `needs ${CHROMIUM} (apt-get install chromium)`;

/** Headless Chromium with a fresh profile (Playwright gives each launch its own user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The tests exercise the client bundle as built from the current sources. */
export async function buildClientBundle(): Promise<void> {
  await buildClient();
}

/** A page that fails fast: no test waits long for something that is not coming. */
export async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** Sign in through the login form, starting from a page that needs it. */
export async function signIn(page: Page, base: string, username: string, start = '/w/main/'): Promise<void> {
  await page.goto(base + start);
  await page.waitForURL(/\/-\/login/);
  await page.fill('input[name=login]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/-/login')),
    page.click('button[type=submit]'),
  ]);
}

/** Replace the text of the CodeMirror editor by typing, as a person would. */
export async function typeIntoEditor(page: Page, text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The editor's current text. */
export function editorText(page: Page): Promise<string> {
  return page.$eval('textarea[name=content]', (el) => (el as HTMLTextAreaElement).value);
}

/** A server holding the showcase pages, and a Chromium page of the given size (not signed in yet). */
export async function openShowcase(viewport: {
  width: number;
  height: number;
}): Promise<{ web: WebServer; browser: Browser; page: Page }> {
  await buildClientBundle();
  const web = await startWebServer();
  await writeShowcase(web);
  const browser = await launchChromium();
  const page = await newPage(await browser.newContext({ viewport }));
  return { web, browser, page };
}
