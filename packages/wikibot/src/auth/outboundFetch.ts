import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface OutboundOptions {
  /** PEM file of extra CA certificates to trust besides the system's. */
  caFile?: string;
  /** Refuse loopback, private and other non-global addresses (for URLs that strangers choose). */
  publicOnly: boolean;
}

const TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Loopback, private, link-local, CGNAT, documentation, multicast and reserved ranges. */
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(net, bits, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6 && address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4) {
    return isPublicAddress(address.slice(7));
  }
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A fetch for the authorization server's outbound calls (issuer discovery, key sets, client
 * metadata documents): trusts an optional extra CA, never follows redirects, gives up after 5 s and
 * 1 MiB, and with `publicOnly` refuses to connect to non-public addresses (checked after DNS).
 */
export function createOutboundFetch(options: OutboundOptions): Fetch {
  const ca = options.caFile ? [...rootCertificates, readFileSync(options.caFile, 'utf8')] : undefined;
  const lookup: LookupFunction | undefined = options.publicOnly ? publicLookup : undefined;
  return async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new TypeError(`Unsupported URL scheme: ${url.protocol}`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (options.publicOnly && isIP(host) && !isPublicAddress(host)) {
      throw new TypeError(`Refusing to fetch ${url.origin}: not a public address`);
    }
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(request?.headers);
    new Headers(init.headers).forEach((value, name) => {
      headers.set(name, value);
    });
    const body = init.body ?? (request ? await request.arrayBuffer() : undefined);
    const payload =
      body === undefined || body === null ? undefined : Buffer.from(await new Response(body).arrayBuffer());
    const requestOptions: RequestOptions & { ca?: string[] } = {
      method,
      headers: headerRecord(headers),
      ...(lookup ? { lookup } : {}),
      ...(ca && url.protocol === 'https:' ? { ca } : {}),
    };
    const signal = AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), ...(init.signal ? [init.signal] : [])]);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { ...requestOptions, signal }, resolve);
      req.on('error', reject);
      req.end(payload);
    });
    return toResponse(response, signal);
  };
}

function publicLookup(
  hostname: string,
  options: object,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const blocked = list.find((a) => !isPublicAddress(a.address));
    if (blocked || list.length === 0) {
      return callback(
        Object.assign(new Error(`Refusing to fetch ${hostname}: not a public address`), { code: 'EACCES' }),
        [],
      );
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    const first = list[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
}

function toResponse(message: IncomingMessage, signal: AbortSignal): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const status = message.statusCode ?? 502;
  if ([101, 204, 205, 304].includes(status)) {
    message.resume();
    return new Response(null, { status, headers });
  }
  async function* capped(chunks: AsyncIterable<Buffer>) {
    let received = 0;
    for await (const chunk of chunks) {
      received += chunk.length;
      if (received > MAX_RESPONSE_BYTES) throw new Error(`Response larger than ${MAX_RESPONSE_BYTES} bytes`);
      yield chunk;
    }
  }
  signal.addEventListener('abort', () => message.destroy(signal.reason as Error), { once: true });
  return new Response(Readable.toWeb(Readable.from(capped(message))) as ReadableStream, { status, headers });
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}
