#!/usr/bin/env node
// The MCP conformance CLI cannot send credentials, and wikibot's MCP endpoint needs one. This relay
// adds `Authorization: Bearer $MCP_CONFORMANCE_TOKEN` to requests that carry none and forwards
// everything else unchanged, Host and Origin included (the DNS-rebinding scenario depends on them),
// streaming both ways. Usage: node mcp-conformance-proxy.mjs <target origin>; prints its own URL.
import http from 'node:http';

const target = new URL(process.argv[2] ?? '');
const token = process.env.MCP_CONFORMANCE_TOKEN;
if (!token) {
  console.error('MCP_CONFORMANCE_TOKEN is not set');
  process.exit(2);
}

const relay = http.createServer((incoming, outgoing) => {
  const headers = { ...incoming.headers };
  headers.authorization ??= `Bearer ${token}`;
  const forwarded = http.request(
    { hostname: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forwarded.on('error', (error) => {
    if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
    outgoing.end(`relay error: ${error.message}`);
  });
  incoming.pipe(forwarded);
});

relay.listen(0, '127.0.0.1', () => {
  const { port } = relay.address();
  console.log(`http://localhost:${port}`);
});
