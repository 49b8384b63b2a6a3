export interface StallBenchOptions {
  /** Base URL of a running wikibot serving the wiki "bench". */
  url: string;
  /** A token with write access to "bench". */
  token: string;
  record(what: string, value: string, bar?: string): void;
  /** How latency samples (ms) are summarised, e.g. "p50 / p99". */
  latency(samples: number[]): string;
}

const PROBE_SECONDS = 15;
const WORDS = [
  'the',
  'river',
  'of',
  'a',
  'city',
  'and',
  'the',
  'old',
  'bridge',
  'in',
  'the',
  'morning',
  'light',
];

/** About 42 KB of prose in which "the" is every fourth word. */
function prose(): string {
  const sentences: string[] = [];
  for (let i = 0; sentences.join(' ').length < 42 * 1024; i++) {
    const words = Array.from({ length: 12 }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length] as string);
    sentences.push(`${words.join(' ')}.`);
  }
  return sentences.join(' ');
}

/** A page at every render limit at once: 1,000 formulas, 2,000 footnotes, 8,000 raw HTML tags. */
function heaviestRenderable(): string {
  return [
    Array.from({ length: 1000 }, (_, i) => `$\\frac{x_{${i}}}{\\sqrt{y^{${i}}}}$`).join(' '),
    Array.from({ length: 2000 }, (_, i) => `Claim ${i}[^${i}] <span>s</span><b>b</b>`).join('\n\n'),
    Array.from({ length: 2000 }, (_, i) => `[^${i}]: Source ${i}.`).join('\n\n'),
  ].join('\n\n');
}

interface Load {
  /** HTTP statuses, 0 for a request whose connection failed. */
  statuses: number[];
  took: number[];
}

/**
 * `/health` while the worst render runs, then while the worst search and the worst render run
 * (issue 10). One client previews the heaviest page the render limits allow (uncached every time),
 * another repeats the search for "the" × 20 over a wiki with a 42 KB prose page, and a third probes
 * `/health` one request after another for PROBE_SECONDS.
 */
export async function benchStall(options: StallBenchOptions): Promise<void> {
  const auth = { authorization: `Bearer ${options.token}` };
  const put = await fetch(`${options.url}/w/bench/api/v1/pages/Stall/Prose`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ content: prose() }),
  });
  if (put.status >= 300) throw new Error(`writing the prose page failed: ${put.status}`);
  const page = heaviestRenderable();
  const render = () =>
    fetch(`${options.url}/w/bench/-/preview/Stall/Heavy`, {
      method: 'POST',
      headers: auth,
      body: new URLSearchParams({ content: page }),
    });
  const query = encodeURIComponent(Array(20).fill('the').join(' '));
  const search = () => fetch(`${options.url}/w/bench/api/v1/search?q=${query}`, { headers: auth });

  const summary = (what: string, load: Load) =>
    `${what}: ${load.took.length} done (${[...new Set(load.statuses)].join(', ')}), ${options.latency(load.took)}`;
  const idle = await probeWhile(options.url, []);
  options.record('/health p50 / p99, nothing else running', options.latency(idle.probes));
  const alone = await probeWhile(options.url, [render]);
  options.record(
    '/health p50 / p99 while the worst render runs',
    `${options.latency(alone.probes)} (${alone.probes.length} probes; ${summary('render', alone.loads[0] as Load)})`,
    'p99 < 200 ms',
  );
  const both = await probeWhile(options.url, [search, render]);
  options.record(
    '/health p50 / p99 while the worst search and the worst render run',
    `${options.latency(both.probes)} (${both.probes.length} probes; ${summary('search', both.loads[0] as Load)}; ${summary('render', both.loads[1] as Load)})`,
    'p99 < 200 ms',
  );
}

/** Probes `/health` for PROBE_SECONDS while each of `loads` is sent again and again, one at a time. */
async function probeWhile(
  url: string,
  loads: (() => Promise<Response>)[],
): Promise<{ probes: number[]; loads: Load[] }> {
  let running = true;
  const repeat = async (send: () => Promise<Response>): Promise<Load> => {
    const load: Load = { statuses: [], took: [] };
    while (running) {
      const start = performance.now();
      try {
        const response = await send();
        await response.arrayBuffer();
        load.statuses.push(response.status);
      } catch {
        load.statuses.push(0); // the connection failed (0 in the summary)
      }
      load.took.push(performance.now() - start);
    }
    return load;
  };
  const loaded = Promise.all(loads.map(repeat));
  const probes: number[] = [];
  const until = performance.now() + PROBE_SECONDS * 1000;
  while (performance.now() < until) {
    const start = performance.now();
    const response = await fetch(`${url}/health`);
    await response.arrayBuffer();
    probes.push(performance.now() - start);
  }
  running = false;
  return { probes, loads: await loaded };
}
