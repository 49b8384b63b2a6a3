import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAccount {
  username: string;
  roles: string[];
  accountType: string;
}

/**
 * An identity service on 127.0.0.1 speaking SPEC §10's two MCIAS endpoints:
 * `POST /v1/token/validate {token}` and `POST /v1/auth/login {username, password, service_name, tags}`.
 */
export class IdentityStub {
  readonly tokens = new Map<string, StubAccount>();
  readonly passwords = new Map<string, { password: string; token: string }>();
  validateCalls = 0;
  readonly logins: Record<string, unknown>[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    if (req.method === 'POST' && req.url === '/v1/token/validate') {
      this.validateCalls++;
      const account = this.tokens.get(String(body.token));
      if (!account) return [200, { valid: false }];
      return [
        200,
        { valid: true, username: account.username, roles: account.roles, account_type: account.accountType },
      ];
    }
    if (req.method === 'POST' && req.url === '/v1/auth/login') {
      this.logins.push(body);
      const entry = this.passwords.get(String(body.username));
      if (!entry || entry.password !== body.password) return [401, { error: 'invalid credentials' }];
      return [200, { token: entry.token, expires_at: '2099-01-01T00:00:00Z' }];
    }
    return [404, { error: 'not found' }];
  }

  /** Stops answering: the identity service is down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
