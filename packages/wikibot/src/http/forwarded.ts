import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv6 } from 'node:net';
import type { Context } from 'hono';

/** Parsed `http.trusted_proxies` lists, made once per configured list. */
const parsed = new WeakMap<readonly string[], BlockList>();

/**
 * The address of the peer that sent the request (a proxy, when there is one). On AWS Lambda it is the
 * address API Gateway received the request from (the event's `requestContext.http.sourceIp`).
 */
export function peerAddress(c: Context): string {
  const env = c.env as
    | { incoming?: IncomingMessage; requestContext?: { http?: { sourceIp?: string } } }
    | undefined;
  return unmapped(env?.incoming?.socket?.remoteAddress ?? env?.requestContext?.http?.sourceIp ?? 'unknown');
}

/**
 * The address of the client: the peer, or when the peer is a trusted proxy, the nearest address in
 * X-Forwarded-For that is not a trusted proxy itself. A header from any other peer is ignored, so a
 * client cannot choose its own address.
 */
export function clientAddress(c: Context, trustedProxies: readonly string[]): string {
  const peer = peerAddress(c);
  const trusted = proxyList(trustedProxies);
  if (!isTrusted(trusted, peer)) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => unmapped(hop.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return hops[0] ?? peer;
}

/** The host the client asked for: Host (as in the request URL), or X-Forwarded-Host when a trusted proxy sent it. */
export function requestedHost(c: Context, trustedProxies: readonly string[]): string {
  const forwarded = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
  if (forwarded && isTrusted(proxyList(trustedProxies), peerAddress(c))) return forwarded;
  return c.req.header('host') ?? new URL(c.req.url).host;
}

function proxyList(entries: readonly string[]): BlockList {
  let list = parsed.get(entries);
  if (list) return list;
  list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  parsed.set(entries, list);
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) as `192.0.2.1`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
