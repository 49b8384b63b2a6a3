import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { pagePath } from './corpus.js';

export interface McpBenchOptions {
  /** Base URL of a running wikibot serving the generated wiki "bench". */
  url: string;
  token: string;
  /** Pages in the wiki (read at random). */
  size: number;
  record(what: string, value: string, bar?: string): void;
  /** How latency samples (ms) are summarised, e.g. "p50 / p99". */
  latency(samples: number[]): string;
}

const WARMUP_CALLS = 200;
const TIMED_CALLS = 2000;
const CLIENTS = 10;
const LOAD_SECONDS = 10;

/**
 * MCP `read_note` over HTTP with the official SDK client, as agents call it: latency of one client
 * in each protocol generation, then throughput of 10 concurrent 2026-07-28 clients.
 */
export async function benchMcp(options: McpBenchOptions): Promise<void> {
  const endpoint = new URL(`${options.url}/w/bench/mcp`);
  const read = async (client: Client) => {
    const path = pagePath(Math.floor(Math.random() * options.size));
    const result = await client.callTool({ name: 'read_note', arguments: { path } });
    if (result.isError) throw new Error(`read_note ${path} failed: ${JSON.stringify(result.content)}`);
  };

  for (const era of ['modern', 'legacy'] as const) {
    const client = await connect(endpoint, options.token, era);
    for (let i = 0; i < WARMUP_CALLS; i++) await read(client);
    const samples: number[] = [];
    for (let i = 0; i < TIMED_CALLS; i++) {
      const start = performance.now();
      await read(client);
      samples.push(performance.now() - start);
    }
    await client.close();
    const revision = era === 'modern' ? '2026-07-28' : '2025-11-25';
    options.record(`MCP read_note p50 / p99 (${revision})`, options.latency(samples), 'p50 ≤ 5 ms');
  }

  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => connect(endpoint, options.token, 'modern')),
  );
  let calls = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + LOAD_SECONDS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        try {
          await read(client);
          calls++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((client) => client.close()));
  options.record(
    `MCP read_note, ${CLIENTS} concurrent clients`,
    `${Math.round(calls / seconds)} calls/s (errors ${errors})`,
  );
}

async function connect(endpoint: URL, token: string, era: 'modern' | 'legacy'): Promise<Client> {
  const client = new Client(
    { name: 'wikibot-bench', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(endpoint, {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}
