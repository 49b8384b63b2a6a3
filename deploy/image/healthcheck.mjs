// The image's HEALTHCHECK: exit 0 when /health answers 2xx within 4 s (node only, no curl needed).
const port = process.env.WIKIBOT_PORT || '8080';
try {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
