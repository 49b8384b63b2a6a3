import { IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { peerAddress } from '../forwarded.js';

/**
 * oidc-provider is a Koa application: it wants Node's request and response objects. These turn a
 * Hono request into a Node request (body already read, so Hono's body limit applies first) and
 * capture what the provider writes into a web Response, so the rest of the app (logging, errors)
 * sees an ordinary response. Host and scheme are rewritten from the public base URL: the provider
 * builds every URL it advertises from them.
 */
export async function toNodeRequest(
  c: Context<AppEnv>,
  baseUrl: string,
  body?: Buffer,
): Promise<IncomingMessage> {
  const base = new URL(baseUrl);
  const url = new URL(c.req.url);
  const req = new IncomingMessage(new Socket());
  req.method = c.req.method;
  req.url = `${url.pathname}${url.search}`;
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const payload =
    body ?? (['GET', 'HEAD'].includes(c.req.method) ? undefined : Buffer.from(await c.req.arrayBuffer()));
  Object.assign(headers, {
    host: base.host,
    'x-forwarded-proto': base.protocol.slice(0, -1),
    'x-forwarded-for': peerAddress(c),
  });
  delete headers['x-forwarded-host'];
  if (payload) headers['content-length'] = String(payload.length);
  req.headers = headers;
  if (payload) req.push(payload);
  req.push(null);
  return req;
}

/** A ServerResponse that keeps what is written, for {@link runNodeHandler}. */
export class CapturedResponse extends ServerResponse {
  private readonly chunks: Buffer[] = [];
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      this.chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              chunk as string,
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            ),
      );
    }
    const done = [encoding, callback].find((f) => typeof f === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }

  override end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') this.write(chunk, encoding);
    const done = [chunk, encoding, callback].find((f) => typeof f === 'function') as (() => void) | undefined;
    this.finished = true;
    this.resolveDone();
    this.emit('finish');
    done?.();
    return this;
  }

  override writeHead(status: number, ...rest: unknown[]): this {
    this.statusCode = status;
    const headers = rest.find((r) => typeof r === 'object' && r !== null) as OutgoingHttpHeaders | undefined;
    for (const [name, value] of Object.entries(headers ?? {}))
      if (value !== undefined) this.setHeader(name, value);
    return this;
  }

  toResponse(): Response {
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.getHeaders())) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) headers.append(name, v);
    }
    headers.delete('content-length');
    const empty = [204, 304].includes(this.statusCode) || this.req.method === 'HEAD';
    return new Response(empty ? null : Buffer.concat(this.chunks), { status: this.statusCode, headers });
  }
}

/** Run a Node (req, res) handler to completion and return what it wrote. */
export async function runNodeHandler(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  req: IncomingMessage,
): Promise<Response> {
  const res = new CapturedResponse(req);
  await Promise.all([Promise.resolve(handler(req, res)), res.done]);
  return res.toResponse();
}
