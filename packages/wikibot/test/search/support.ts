import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Dimensions of the bag-of-words vectors: wide enough that distinct test words rarely collide. */
export const BOW_DIMENSIONS = 512;

/** Lower-cased words of a text, with a plural "s" dropped, so "cats" and "cat" share a bucket. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((w) =>
    w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w,
  );
}

/** A deterministic bag-of-words embedding: word counts hashed into buckets (the server L2-normalises nothing). */
export function bagOfWords(text: string): number[] {
  const vector = new Array<number>(BOW_DIMENSIONS).fill(0);
  for (const word of words(text)) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619) >>> 0;
    vector[hash % BOW_DIMENSIONS]! += 1;
  }
  return vector;
}

export interface EmbeddingServer {
  url: string;
  /** Texts embedded so far (the provider's start-up probe excluded). */
  embedded: string[];
  /** Requests answered or waiting (the probe excluded). */
  requests: number;
  /** Hold every later embedding request until `release` (the probe is always answered). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/** An OpenAI-compatible /v1/embeddings server on 127.0.0.1 answering with bag-of-words vectors. */
export async function startEmbeddingServer(): Promise<EmbeddingServer> {
  let held: (() => void)[] | null = null;
  const state = {
    embedded: [] as string[],
    requests: 0,
  };
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string[] };
    const probe = body.input.length === 1 && body.input[0] === 'dimension probe';
    if (!probe) {
      state.requests++;
      if (held) await new Promise<void>((resolve) => held?.push(resolve));
      state.embedded.push(...body.input);
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        object: 'list',
        data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: bagOfWords(text) })),
        model: 'bag-of-words',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    const waiting = held ?? [];
    held = null;
    for (const resolve of waiting) resolve();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get embedded() {
      return state.embedded;
    },
    get requests() {
      return state.requests;
    },
    hold() {
      held ??= [];
    },
    release,
    close() {
      release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Environment that points wikibot at an embedding server. */
export function embeddingEnv(url: string): Record<string, string> {
  return {
    WIKIBOT_EMBEDDING_PROVIDER: 'openai',
    WIKIBOT_EMBEDDING_BASE_URL: url,
    WIKIBOT_EMBEDDING_MODEL: 'bag-of-words',
  };
}

/** Poll `check` until it returns a value other than undefined/false, or fail after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** URL path of a page in a wiki's REST API. */
export function pageUrl(path: string, slug = 'main'): string {
  return `/w/${slug}/api/v1/pages/${path.split('/').map(encodeURIComponent).join('/')}`;
}
