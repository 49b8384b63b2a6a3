import { Writable } from 'node:stream';
import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/http/context.js';
import { requestLog } from '../../src/http/logging.js';

describe('the request log', () => {
  it('keeps an invitation link’s secret out, showing only its id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = new Hono<AppEnv>();
    app.use(requestLog(pino({ level: 'info' }, sink)));
    app.post('/api/v1/invites/:token/accept', (c) => c.json({ ok: true }));
    const secret = 'S3cretPart_of-the-invitation-link-0123456789';
    const token = `wbi_0123456789abcdef_${secret}`;
    expect((await app.request(`/api/v1/invites/${token}/accept`, { method: 'POST' })).status).toBe(200);
    const logged = lines.join('');
    expect(logged).toContain('"path":"/api/v1/invites/wbi_0123456789abcdef_…/accept"');
    expect(logged).not.toContain(secret);
  });
});
