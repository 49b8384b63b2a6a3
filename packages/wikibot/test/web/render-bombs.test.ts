import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openServices } from '../../src/services.js';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { removeDir } from '../support/server.js';
import { PASSWORD, type Reply, Visitor } from './support.js';

/** Pages whose rendering cost grows far faster than their size (SPEC §10, issue: render bombs). */
const BOMBS = {
  footnotes:
    Array.from({ length: 10_000 }, (_, i) => `x[^${i}]`).join('\n\n') +
    '\n\n' +
    Array.from({ length: 10_000 }, (_, i) => `[^${i}]: note ${i}`).join('\n\n'),
  math: Array.from({ length: 50_000 }, (_, i) => `$x^{${i}}$`).join(' '),
  divs: '<div>\n'.repeat(100_000),
};
const ORDINARY = '# Ordinary\n\nPlain words that always render quickly.';

interface ServedWiki {
  served: ServeProcess;
  eddie: Visitor;
}

/**
 * For the tests of a describe block: a wiki "main" with an editor, an ordinary page and the bombs,
 * served by `wikibot serve` with `config` as its wikibot.toml.
 */
function useServedWiki(config: string): ServedWiki {
  const wiki = {} as ServedWiki;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wikibot-render-bombs-'));
    await writeFile(join(dataDir, 'wikibot.toml'), config);
    const services = await openServices(
      loadConfig({ env: { WIKIBOT_DATA: dataDir } }),
      pino({ level: 'silent' }),
    );
    await services.registry.create('main', { title: 'Main', template: false });
    const editor = await services.auth.users.create({ username: 'eddie', password: PASSWORD });
    await services.auth.members.grant('main', editor.id, 'editor');
    const pages = await services.registry.wiki('main');
    const author = { actor: { name: 'Test', email: 'test@example.com' }, source: 'api' as const };
    await pages.writePage('Ordinary', ORDINARY, author);
    for (const [name, body] of Object.entries(BOMBS)) await pages.writePage(`Bomb/${name}`, body, author);
    await services.close();
    wiki.served = await serveProcess(['--data', dataDir, '--port', '0'], { WIKIBOT_LOG_LEVEL: 'warn' });
    wiki.eddie = new Visitor(wiki.served.url);
    await wiki.eddie.login('eddie');
    // Read once, as pages people read are: the probes' page is then a cache hit.
    expect((await wiki.eddie.get('/w/main/Ordinary')).status).toBe(200);
  });
  afterAll(async () => {
    await wiki.served?.stop();
    await removeDir(dataDir);
  });
  return wiki;
}

interface Probed {
  bomb: Reply;
  /** Status of every `/health` and ordinary page read sent while the bomb was out (and a few after). */
  statuses: number[];
  /** Probe rounds answered before the bomb was. */
  answeredBeforeBomb: number;
}

/** Sends the bomb, and meanwhile probes `/health` and an ordinary page read, one round after another. */
async function bombWhileProbing({ served, eddie }: ServedWiki, send: () => Promise<Reply>): Promise<Probed> {
  let bombAnswered = false;
  let answeredBeforeBomb = 0;
  const statuses: number[] = [];
  const bomb = send().finally(() => {
    bombAnswered = true;
  });
  const probe = async () => {
    for (let round = 0; !bombAnswered || round < 3; round++) {
      const [health, page] = await Promise.all([
        fetch(`${served.url}/health`),
        eddie.get('/w/main/Ordinary'),
      ]);
      statuses.push(health.status, page.status);
      expect(page.text).toContain('Plain words that always render quickly.');
      if (!bombAnswered) answeredBeforeBomb++;
    }
  };
  const [reply] = await Promise.all([bomb, probe()]);
  return { bomb: reply, statuses, answeredBeforeBomb };
}

const view =
  ({ eddie }: ServedWiki, name: string) =>
  () =>
    eddie.get(`/w/main/Bomb/${name}`);
const preview =
  ({ eddie }: ServedWiki, name: string) =>
  () =>
    eddie.post(`/w/main/-/preview/Bomb/${name}`, { content: BOMBS[name as keyof typeof BOMBS] });

describe('render bombs while probing /health, with the default limits', () => {
  const wiki = useServedWiki('');

  const limits = [
    ['footnotes', 'Too much to render: 10,000 footnotes, the limit is 2,000 (render.max_footnotes).'],
    ['math', 'Too much to render: 50,000 math formulas, the limit is 1,000 (render.max_math).'],
    ['divs', 'Too much to render: 100,000 raw HTML tags, the limit is 10,000 (render.max_html_tags).'],
  ] as const;

  for (const [name, message] of limits) {
    it(`shows the ${name} bomb as its source with the limit named, and keeps answering others`, async () => {
      const { bomb, statuses } = await bombWhileProbing(wiki, view(wiki, name));
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(bomb.status).toBe(200);
      expect(bomb.page.text('.markdown .flash.warn')).toBe(
        `This page is shown as its Markdown source. ${message}`,
      );
      // Compared as a boolean: a failing diff of the whole source would flood the output.
      const shown = bomb.page.text('.markdown pre.page-source');
      expect(shown === BOMBS[name].replace(/\s+/g, ' ').trim()).toBe(true);
      expect(bomb.page.has('.markdown div')).toBe(false);
    });

    it(`refuses to preview the ${name} bomb with 422 naming the limit, and keeps answering others`, async () => {
      const { bomb, statuses } = await bombWhileProbing(wiki, preview(wiki, name));
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(bomb.status).toBe(422);
      expect(JSON.parse(bomb.text)).toEqual({ error: message });
    });
  }
});

describe('a render past its deadline', () => {
  // Limits out of the way: 50,000 formulas take KaTeX far longer than the deadline.
  const wiki = useServedWiki(
    ['[render]', 'max_math = 1000000', 'max_html_bytes = 1000000000', 'deadline_seconds = 2'].join('\n'),
  );

  const deadline = 'Rendering this page did not finish within its deadline of 2 s and was stopped.';

  it('is answered 503 naming the deadline on view, while /health and other pages keep answering', async () => {
    const { bomb, statuses, answeredBeforeBomb } = await bombWhileProbing(wiki, view(wiki, 'math'));
    expect(bomb.status).toBe(503);
    expect(bomb.page.text('.flash.error')).toBe(deadline);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(answeredBeforeBomb).toBeGreaterThan(0);
    // Remembered for a while: asking again costs no second deadline's worth of work.
    const again = await wiki.eddie.get('/w/main/Bomb/math');
    expect(again.status).toBe(503);
  });

  it('is answered 503 naming the deadline on preview, and the pool renders the next page', async () => {
    const { bomb, statuses, answeredBeforeBomb } = await bombWhileProbing(wiki, preview(wiki, 'math'));
    expect(bomb.status).toBe(503);
    expect(JSON.parse(bomb.text)).toEqual({ error: deadline });
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(answeredBeforeBomb).toBeGreaterThan(0);
    const fresh = await wiki.eddie.post('/w/main/-/preview/Fresh', { content: 'Fresh *text*, $x^2$.' });
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain('<em>text</em>');
    expect(fresh.text).toContain('class="katex"');
  });
});
