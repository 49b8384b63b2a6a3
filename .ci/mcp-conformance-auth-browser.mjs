#!/usr/bin/env node
// The person in front of the browser for the conformance suite's interactive `authorization-code-grant`
// scenario: waits until the suite prints the authorization URL into <log>, opens it, signs in on
// wikibot's login page, allows everything on the consent page, and follows the redirects to the
// suite's loopback callback. Plain HTTP with a cookie jar, forms read from the HTML.
// Usage: node mcp-conformance-auth-browser.mjs <log file> <authorization endpoint> <login> <password>
import { readFileSync } from 'node:fs';

const [logFile, endpoint, login, password] = process.argv.slice(2);
if (!logFile || !endpoint || !login || !password) {
  console.error(
    'usage: mcp-conformance-auth-browser.mjs <log file> <authorization endpoint> <login> <password>',
  );
  process.exit(2);
}

const jar = new Map();
async function request(url, form) {
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      ...(cookie ? { cookie } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(pair.slice(0, eq));
    else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const location = response.headers.get('location');
  return {
    url,
    status: response.status,
    text: await response.text(),
    location: location && new URL(location, url).href,
  };
}

async function follow(page) {
  let current = page;
  for (let hops = 0; current.location && hops < 20; hops++) current = await request(current.location);
  return current;
}

function form(page) {
  const match = /<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.text);
  if (!match) throw new Error(`no form at ${page.url} (${page.status}): ${page.text.slice(0, 300)}`);
  const fields = [];
  for (const input of match[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name && (/type="hidden"/.test(input[0]) || /type="checkbox"/.test(input[0])))
      fields.push([name, value.replace(/&amp;/g, '&')]);
  }
  return { action: new URL(match[1].replace(/&amp;/g, '&'), page.url).href, fields };
}

let url;
for (let waited = 0; !url; waited += 200) {
  if (waited > 60_000) throw new Error(`no authorization URL in ${logFile}`);
  url = readFileSync(logFile, 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${endpoint}?`));
  if (!url) await new Promise((resolve) => setTimeout(resolve, 200));
}

let page = await follow(await request(url));
if (page.url.includes('/-/login')) {
  const signIn = form(page);
  page = await follow(
    await request(signIn.action, [...signIn.fields, ['login', login], ['password', password]]),
  );
}
if (page.url.includes('/-/oauth/interaction/')) {
  const consent = form(page);
  page = await follow(await request(consent.action, [...consent.fields, ['decision', 'allow']]));
}
if (!page.url.includes('/callback'))
  throw new Error(`ended at ${page.url} (${page.status}): ${page.text.slice(0, 300)}`);
console.log(`signed in and consented; callback answered ${page.status}`);
