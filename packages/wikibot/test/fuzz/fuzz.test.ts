import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, Visitor, type WebServer } from '../web/support.js';
import { Random } from './random.js';
import { type Credentials, type FuzzRequest, fuzzRequest } from './requests.js';

/** Change the seed to explore; a failure names the seed and the request, so it can be replayed. */
const SEED = Number(process.env.WIKIBOT_FUZZ_SEED ?? 20261202);
const REQUESTS = 2000;
const CONCURRENCY = 6;

let web: WebServer;
let creds: Credentials;

beforeAll(async () => {
  web = await startWebServer();
  for (const path of ['Home', 'Col', 'Col/Sub/X', 'Fuzz/One', 'Café'])
    await web.put(path, `# ${path}\n\n[[Home]] text`);
  const editor = new Visitor(web.url);
  await editor.login(web.people.editor.username);
  creds = {
    read: await web.token(['wiki:read']),
    write: await web.token(['wiki:read', 'wiki:write']),
    admin: await web.token(['wiki:read', 'wiki:write', 'wiki:admin']),
    cookie: editor.cookieHeader(),
    csrf: editor.csrf,
  };
});
afterAll(() => web.stop());

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent, base: URL, fuzz: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: fuzz.method,
        path: fuzz.path,
        headers: fuzz.headers,
        agent,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 2000) body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

/** A 503 is an answer only where the service offers a capability this deployment may lack (no embedding model). */
function acceptable5xx(fuzz: FuzzRequest, answer: Answer): boolean {
  return answer.status === 503 && /semantic/.test(fuzz.path) && !/Internal server error/i.test(answer.body);
}

describe(`fuzzing every door (seed ${SEED})`, () => {
  it(`${REQUESTS} random requests over REST, MCP, web forms and OAuth: no 5xx, and the server still answers`, async () => {
    const random = new Random(SEED);
    const requests = Array.from({ length: REQUESTS }, () => fuzzRequest(random, creds));
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const base = new URL(web.url);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const index = next++;
          const fuzz = requests[index] as FuzzRequest;
          const label = `#${index} ${fuzz.door} ${fuzz.method} ${fuzz.path} ${JSON.stringify(fuzz.headers)} ${JSON.stringify(fuzz.body?.slice(0, 300))}`;
          try {
            const answer = await send(agent, base, fuzz);
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (answer.status >= 500 && !acceptable5xx(fuzz, answer))
              failures.push(`${label} → ${answer.status} ${answer.body.slice(0, 300)}`);
          } catch (error) {
            failures.push(`${label} → ${String(error)}`);
          }
        }
      }),
    );
    agent.destroy();
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(statuses.size).toBeGreaterThan(5); // the requests reached many outcomes, not one wall
    const health = await fetch(`${web.url}/health`);
    expect(health.status).toBe(200);
    const read = await fetch(`${web.url}/w/main/api/v1/pages/Home`, {
      headers: { authorization: `Bearer ${creds.read}` },
    });
    expect(read.status).toBe(200);
  }, 120_000);
});
