import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../search/support.js';
import { buildImage, imageAvailability, podman, publishedPort } from '../support/podman.js';

const availability = await imageAvailability();
const title = `the container image (Dockerfile) with real podman${availability.ok ? '' : ` (skipped: ${availability.reason})`}`;

describe.skipIf(!availability.ok)(title, () => {
  const prefix = `wbimg${randomBytes(3).toString('hex')}`;
  const image = `localhost/${prefix}:test`;
  const volume = `${prefix}-data`;
  const adminToken = randomBytes(24).toString('hex');
  let containers = 0;

  beforeAll(async () => {
    await buildImage(image);
  }, 30 * 60_000);

  afterAll(async () => {
    const names = (await podman(['ps', '--all', '--format', '{{.Names}}']).catch(() => ''))
      .split('\n')
      .filter((name) => name.startsWith(prefix));
    if (names.length > 0) await podman(['rm', '--force', '--time', '0', ...names]).catch(() => undefined);
    await podman(['volume', 'rm', '--force', volume]).catch(() => undefined);
    await podman(['rmi', '--force', image]).catch(() => undefined);
  });

  /** Starts the image on the shared volume with a random published port; returns its name and URL. */
  async function start(): Promise<{ name: string; url: string }> {
    const name = `${prefix}-${++containers}`;
    const began = Date.now();
    await podman([
      'run',
      '--detach',
      '--name',
      name,
      '--publish',
      '127.0.0.1::8080',
      '--volume',
      `${volume}:/data`,
      '--env',
      `WIKIBOT_ADMIN_TOKEN=${adminToken}`,
      '--env',
      'WIKIBOT_LOG_LEVEL=warn',
      // Tests never fetch the real embedding model.
      '--env',
      'WIKIBOT_EMBEDDING_ALLOW_DOWNLOAD=false',
      image,
    ]);
    const url = await healthyUrl(name);
    console.info(`container ${name}: first /health answer ${Date.now() - began} ms after podman run`);
    return { name, url };
  }

  async function healthyUrl(name: string): Promise<string> {
    const url = `http://127.0.0.1:${await publishedPort(name, 8080)}`;
    await waitFor(`${name} to answer /health`, async () => (await fetch(`${url}/health`)).ok, 60_000);
    return url;
  }

  const pageUrl = (url: string, page: string) => `${url}/w/main/api/v1/pages/${page}`;
  const auth = { authorization: `Bearer ${adminToken}` };

  async function readPage(url: string, page: string): Promise<string> {
    const response = await fetch(pageUrl(url, page), { headers: auth });
    expect(response.status).toBe(200);
    return ((await response.json()) as { content: string }).content;
  }

  /** Whether a commit is on the wiki's branch, asked of git inside a fresh container on the volume. */
  async function committed(revision: string): Promise<boolean> {
    const git = [
      'run',
      '--rm',
      '--volume',
      `${volume}:/data`,
      '--entrypoint',
      'git',
      image,
      '--git-dir',
      '/data/wikis/main/repo.git',
    ];
    const ok = await podman([...git, 'merge-base', '--is-ancestor', revision, 'HEAD']).then(
      () => true,
      () => false,
    );
    await podman([...git, 'fsck', '--no-progress']);
    return ok;
  }

  let first: { name: string; url: string };

  it('answers /health and passes its HEALTHCHECK, as a non-root user', async () => {
    first = await start();
    expect(await (await fetch(`${first.url}/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    await podman(['healthcheck', 'run', first.name]);
    const processes = (await podman(['top', first.name, 'user', 'comm']))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
    expect(processes.map(([, comm]) => comm)).toEqual(expect.arrayContaining(['tini', 'node']));
    for (const [user] of processes) expect(user).toBe('wikibot');
    expect((await podman(['exec', first.name, 'id', '-u'])).trim()).toBe('10001');
  });

  it('keeps a page written through the API across podman restart and in a new container on the volume', async () => {
    const written = await fetch(pageUrl(first.url, 'Durable'), {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ content: '# Durable\n\nwritten in a container' }),
    });
    expect(written.status).toBe(201);

    await podman(['restart', '--time', '30', first.name]);
    const restarted = await healthyUrl(first.name);
    expect(await readPage(restarted, 'Durable')).toBe('# Durable\n\nwritten in a container');

    await podman(['rm', '--force', '--time', '30', first.name]);
    const second = await start();
    expect(await readPage(second.url, 'Durable')).toBe('# Durable\n\nwritten in a container');
    await podman(['rm', '--force', '--time', '30', second.name]);
  });

  it('finishes a write in flight at SIGTERM, acknowledges it, exits 0, and the write is in git', async () => {
    const { name, url } = await start();
    const body = JSON.stringify({ content: '# In flight\n\nsent around SIGTERM' });
    // The server has the request once it answers "100 Continue"; SIGTERM goes out before the body ends.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(pageUrl(url, 'InFlight'), {
        method: 'PUT',
        headers: {
          ...auth,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          expect: '100-continue',
        },
      });
      req.on('continue', () => {
        req.write(body.slice(0, 10));
        podman(['kill', '--signal', 'TERM', name]).then(
          () => req.end(body.slice(10)),
          (error: Error) => req.destroy(error),
        );
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    const response = await answer;
    expect((await podman(['wait', name], 60_000)).trim()).toBe('0');
    expect(response.status).toBe(201);
    expect(await committed((JSON.parse(response.text) as { revision: string }).revision)).toBe(true);
  });
});
