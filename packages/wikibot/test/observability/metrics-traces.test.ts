import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { GitRepository } from '../../src/git/repository.js';
import { moveBranchWithCli } from '../git/helpers.js';
import { serveProcess } from '../support/cli.js';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { freshDataDir } from '../support/store.js';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
const WATCH_ASYNC_LOCAL_STORAGE = fileURLToPath(
  new URL('../fixtures/report-async-local-storage.cjs', import.meta.url),
);

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** An OTLP/HTTP collector on loopback: keeps every span the server exports as JSON. */
async function startCollector(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans: { scopeSpans: { spans: ReceivedSpan[] }[] }[];
      };
      for (const resource of payload.resourceSpans)
        for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('metrics and traces, switched on', () => {
  let wiki: TestServer;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeAll(async () => {
    collector = await startCollector();
    wiki = await startTestServer({
      env: {
        WIKIBOT_METRICS: 'true',
        WIKIBOT_METRICS_SCRAPE_TOKEN: SCRAPE_TOKEN,
        WIKIBOT_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_SERVICE_NAME: 'wikibot-under-test',
      },
    });
  });
  afterAll(async () => {
    await wiki.stop();
    await collector.close();
    await removeDir(wiki.dataDir);
  });

  it('a page write is traced as request → wiki use case → git commit', async () => {
    const token = await wiki.token(['wiki:read', 'wiki:write']);
    const written = await wiki.call('PUT', '/w/main/api/v1/pages/Traced', {
      token,
      body: { content: '# Traced' },
    });
    expect(written.status).toBe(201);
    await wiki.services.observability.flush();

    const commit = collector.spans.find((span) => span.name === 'git.commit');
    expect(commit, 'a git.commit span').toBeDefined();
    const byId = new Map(collector.spans.map((span) => [span.spanId, span]));
    const useCase = byId.get(commit?.parentSpanId ?? '');
    expect(useCase?.name).toBe('wiki.writePage');
    const request = byId.get(useCase?.parentSpanId ?? '');
    expect(request?.name).toBe('PUT /w/:slug/api/v1/pages/*');
    expect(request?.parentSpanId ?? '').toBe('');
    const status = request?.attributes.find((a) => a.key === 'http.response.status_code')?.value;
    expect(status).toEqual({ intValue: 201 });
    expect(new Set([commit?.traceId, useCase?.traceId, request?.traceId]).size).toBe(1);
    const indexed = collector.spans.find((span) => span.name === 'index.applyCommits');
    expect(byId.get(indexed?.parentSpanId ?? '')?.name, 'the index catching up, under the use case').toBe(
      'wiki.writePage',
    );
  });

  it('a write that loses the compare-and-swap to another writer shows its retry under its commit', async () => {
    const token = await wiki.token(['wiki:read', 'wiki:write']);
    const raw = await wiki.services.registry.wiki('main');
    const repo = (raw as unknown as { repo: GitRepository }).repo;
    const commitChain = repo.commitChain;
    const publish = commitChain.bind(repo);
    let raced = false;
    // Another process moves the branch while this write prepares its first attempt.
    repo.commitChain = (prepare) =>
      publish((tip) => {
        if (raced || tip === null) return prepare(tip);
        raced = true;
        return moveBranchWithCli(wiki.services.registry.repoDir('main'), tip).then(() => prepare(tip));
      });
    try {
      const written = await wiki.call('PUT', '/w/main/api/v1/pages/Raced', {
        token,
        body: { content: '# Raced' },
      });
      expect(written.status).toBe(201);
    } finally {
      repo.commitChain = commitChain;
    }
    expect(raced).toBe(true);
    await wiki.services.observability.flush();
    const byId = new Map(collector.spans.map((span) => [span.spanId, span]));
    const retry = collector.spans.find((span) => span.name === 'git.cas_retry');
    expect(retry, 'a git.cas_retry span').toBeDefined();
    const commit = byId.get(retry?.parentSpanId ?? '');
    expect(commit?.name).toBe('git.commit');
    expect(commit?.attributes.find((a) => a.key === 'git.cas_retries')?.value).toEqual({ intValue: 1 });
    expect(byId.get(commit?.parentSpanId ?? '')?.name).toBe('wiki.writePage');
  });

  it('a page read is traced as request → wiki use case → git read', async () => {
    const token = await wiki.token(['wiki:read', 'wiki:write']);
    const written = await wiki.call('PUT', '/w/main/api/v1/pages/ReadBack', {
      token,
      body: { content: '# Read back' },
    });
    const { revision } = written.json as { revision: string };
    const read = await wiki.call('GET', `/w/main/api/v1/pages/ReadBack?revision=${revision}`, { token });
    expect(read.status).toBe(200);
    await wiki.services.observability.flush();
    const byId = new Map(collector.spans.map((span) => [span.spanId, span]));
    const gitRead = collector.spans.find(
      (span) =>
        span.name.startsWith('git.read') && byId.get(span.parentSpanId ?? '')?.name === 'wiki.readPage',
    );
    expect(gitRead, 'a git read under wiki.readPage').toBeDefined();
    const useCase = byId.get(gitRead?.parentSpanId ?? '');
    expect(byId.get(useCase?.parentSpanId ?? '')?.name).toBe('GET /w/:slug/api/v1/pages/*');
  });

  it('a first page view is traced down to its render in the worker pool', async () => {
    const token = await wiki.token(['wiki:read', 'wiki:write']);
    await wiki.call('PUT', '/w/main/api/v1/pages/Rendered', {
      token,
      body: { content: '# Rendered\n\n$x^2$' },
    });
    const view = await wiki.call('GET', '/w/main/Rendered', { token, headers: { accept: 'text/html' } });
    expect(view.status).toBe(200);
    await wiki.services.observability.flush();
    const byId = new Map(collector.spans.map((span) => [span.spanId, span]));
    const render = collector.spans.find((span) => span.name === 'work.render');
    expect(render, 'a work.render span').toBeDefined();
    let root = render;
    while (root?.parentSpanId) root = byId.get(root.parentSpanId);
    expect(root?.name).toMatch(/^GET /);
  });

  it('/metrics answers the scrape token and a platform admin, and no one else', async () => {
    expect((await wiki.call('GET', '/metrics')).status).toBe(401);
    const reader = await wiki.token(['wiki:read', 'wiki:write', 'wiki:admin']);
    expect((await wiki.call('GET', '/metrics', { token: reader })).status).toBe(401);
    expect((await wiki.call('GET', '/metrics', { token: 'wrong-token-0123456789abcdef' })).status).toBe(401);
    const admin = await wiki.call('GET', '/metrics', { token: 'admin-token-0123456789abcdef' });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('counts requests by door and route, commits, index lag, sessions and the process', async () => {
    const token = await wiki.token(['wiki:read', 'wiki:write']);
    await wiki.call('PUT', '/w/main/api/v1/pages/Counted', { token, body: { content: 'one' } });
    await wiki.call('GET', '/w/main/api/v1/pages/Counted', { token });
    await wiki.call('GET', '/w/main/api/v1/pages/Missing', { token });
    await wiki.call('POST', '/w/main/mcp', { body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    const { status, text } = await wiki.call('GET', '/metrics', { token: SCRAPE_TOKEN });
    expect(status).toBe(200);
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    const route = '/w/:slug/api/v1/pages/*';
    const series = (method: string, statusClass: string) =>
      new RegExp(
        `wikibot_http_requests_total\\{door="api",route="${route.replace(/[*]/g, '\\$&')}",method="${method}",status_class="${statusClass}"\\} (\\d+)`,
      );
    expect(value(series('GET', '2xx'))).toBeGreaterThanOrEqual(1);
    expect(value(series('GET', '4xx'))).toBeGreaterThanOrEqual(1);
    expect(value(series('PUT', '2xx'))).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(
      /wikibot_http_requests_total\{door="mcp",route="[^"]+",method="POST",status_class="4xx"\} \d+/,
    );
    expect(text).toMatch(/wikibot_http_request_duration_seconds_bucket\{le="0.005",door="api"/);
    expect(value(/wikibot_git_publish_duration_seconds_count (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(value(/wikibot_git_commits_total (\d+)/)).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/wikibot_git_cas_retries_total \d+/);
    expect(value(/wikibot_index_lag_commits\{wiki="main"\} (\d+)/)).toBe(0);
    expect(value(/wikibot_embedding_queue_length\{wiki="main"\} (\d+)/)).toBeGreaterThanOrEqual(0);
    expect(value(/wikibot_open_sessions (\d+)/)).toBe(0);
    expect(value(/wikibot_process_resident_memory_bytes (\d+)/)).toBeGreaterThan(0);
  });
});

describe('metrics and traces in the shipped server (bin/wikibot.js, the bundle)', () => {
  it('serves /metrics and exports the spans of a page write and view, without AsyncLocalStorage', async () => {
    const collector = await startCollector();
    const dataDir = await freshDataDir();
    const admin = 'bundle-admin-token-0123456789abcdef';
    const wiki = await serveProcess(['--data', dataDir, '--port', '0'], {
      WIKIBOT_METRICS: 'true',
      WIKIBOT_ADMIN_TOKEN: admin,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      NODE_OPTIONS: `--require ${WATCH_ASYNC_LOCAL_STORAGE}`,
    });
    try {
      const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
      const written = await fetch(`${wiki.url}/w/main/api/v1/pages/Shipped`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ content: '# Shipped' }),
      });
      expect(written.status).toBe(201);
      const metrics = await fetch(`${wiki.url}/metrics`, { headers });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/wikibot_git_commits_total [1-9]/);
      const view = await fetch(`${wiki.url}/w/main/Shipped`, { headers });
      expect(view.status).toBe(200);
      // The trace context is passed explicitly: an AsyncLocalStorage's promise hooks would make every
      // request of the process dearer once one was traced.
      expect(wiki.errors()).toContain('AsyncLocalStorage watched');
      expect(wiki.errors()).not.toContain('AsyncLocalStorage.');
    } finally {
      await wiki.stop(); // SIGTERM: the server flushes its spans before it exits
      await collector.close();
      await removeDir(dataDir);
    }
    expect(wiki.child.exitCode).toBe(0);
    const names = collector.spans.map((span) => span.name);
    expect(names).toContain('git.commit');
    expect(names).toContain('work.render');
  });
});

describe('metrics switched off (the default)', () => {
  it('has no /metrics route', async () => {
    const wiki = await startTestServer();
    try {
      expect((await wiki.call('GET', '/metrics', { token: SCRAPE_TOKEN })).status).toBe(404);
      expect(wiki.services.observability.measureRepository).toBeUndefined();
      expect(wiki.services.observability.traceWiki).toBeUndefined();
    } finally {
      await wiki.stop();
      await removeDir(wiki.dataDir);
    }
  });
});

describe('tracing configuration from the standard OTEL_* variables', () => {
  const config = (env: Record<string, string>) =>
    loadConfig({ env: { WIKIBOT_DATA: '/nonexistent', ...env } }).tracing;

  it('is off by default', () => {
    expect(config({}).enabled).toBe(false);
  });
  it('is on with an OTLP endpoint, traces path appended to the base endpoint', () => {
    const tracing = config({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_SERVICE_NAME: 'wiki-prod',
    });
    expect(tracing).toMatchObject({
      enabled: true,
      endpoint: 'http://collector:4318/v1/traces',
      service_name: 'wiki-prod',
    });
  });
  it('takes the traces endpoint and headers as given', () => {
    const tracing = config({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret,x-team=wiki',
    });
    expect(tracing).toMatchObject({
      enabled: true,
      endpoint: 'https://otlp.example.com/traces',
      headers: { 'api-key': 's=cret', 'x-team': 'wiki' },
    });
  });
  it('is off when OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none says so', () => {
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(
      false,
    );
    expect(
      config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).enabled,
    ).toBe(false);
    expect(config({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({
      enabled: true,
      endpoint: 'http://localhost:4318/v1/traces',
    });
  });
});

describe('sampling from OTEL_TRACES_SAMPLER', () => {
  const ratio = (env: Record<string, string>) =>
    loadConfig({ env: { WIKIBOT_DATA: '/nonexistent', ...env } }).tracing.sample_ratio;

  it('traces every request unless told otherwise', () => {
    expect(ratio({})).toBe(1);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' })).toBe(1);
  });
  it('takes a ratio, plain or parent-based, and always_off as none', () => {
    expect(ratio({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.05' })).toBe(0.05);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toBe(
      0.25,
    );
    expect(ratio({ OTEL_TRACES_SAMPLER: 'always_off' })).toBe(0);
  });
  it('refuses a sampler it does not know and a ratio outside 0..1, naming them', () => {
    expect(() => ratio({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toThrow(
      /OTEL_TRACES_SAMPLER=jaeger_remote/,
    );
    expect(() => ratio({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '5' })).toThrow(
      /tracing\.sample_ratio must be from 0 to 1/,
    );
    expect(() => ratio({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' })).toThrow(
      /tracing\.sample_ratio must be a number/,
    );
  });
  it('a request not sampled exports no span, and is still answered and counted', async () => {
    const collector = await startCollector();
    const wiki = await startTestServer({
      env: {
        WIKIBOT_METRICS: 'true',
        WIKIBOT_METRICS_SCRAPE_TOKEN: SCRAPE_TOKEN,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_TRACES_SAMPLER: 'always_off',
      },
    });
    try {
      const token = await wiki.token(['wiki:read', 'wiki:write']);
      const written = await wiki.call('PUT', '/w/main/api/v1/pages/Unsampled', {
        token,
        body: { content: '# Unsampled' },
      });
      expect(written.status).toBe(201);
      await wiki.services.observability.flush();
      expect(collector.spans).toEqual([]);
      const { text } = await wiki.call('GET', '/metrics', { token: SCRAPE_TOKEN });
      expect(text).toMatch(/wikibot_git_commits_total [1-9]/);
    } finally {
      await wiki.stop();
      await collector.close();
      await removeDir(wiki.dataDir);
    }
  });
});

describe('tracing to a collector that is down', () => {
  it('costs the spans, not the write or a clean stop', async () => {
    const down = await startCollector();
    await down.close(); // nothing listens on its port any more
    const wiki = await startTestServer({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: down.url } });
    try {
      const token = await wiki.token(['wiki:read', 'wiki:write']);
      const written = await wiki.call('PUT', '/w/main/api/v1/pages/Untraced', {
        token,
        body: { content: 'x' },
      });
      expect(written.status).toBe(201);
      await wiki.services.observability.flush();
      expect((await wiki.call('GET', '/w/main/api/v1/pages/Untraced', { token })).status).toBe(200);
    } finally {
      await wiki.stop();
      await removeDir(wiki.dataDir);
    }
  });
});
