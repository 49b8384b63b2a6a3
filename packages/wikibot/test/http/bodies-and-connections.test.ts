import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, Visitor, type WebServer, wikiPath } from '../web/support.js';

let web: WebServer;
let eddie: Visitor;

beforeAll(async () => {
  web = await startWebServer();
  eddie = new Visitor(web.url);
  await eddie.login(web.people.editor.username);
});
afterAll(() => web.stop());

describe('a malformed form body', () => {
  it('is a 400 naming the problem on any form route, signed in or not', async () => {
    const anonymous = new Visitor(web.url);
    for (const path of ['/-/logout', '/-/login']) {
      const res = await anonymous.send('POST', path, 'x', {
        'content-type': 'multipart/form-data; boundary=',
        accept: 'application/json',
      });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.text).error).toBe(
        'Malformed request body: multipart/form-data needs a non-empty boundary parameter',
      );
    }
    const edit = await eddie.send('POST', wikiPath('Anything', 'edit'), '--abc\r\ngarbage', {
      'content-type': 'multipart/form-data; boundary=abc',
    });
    expect(edit.status).toBe(400);
    expect(edit.page.text('.flash.error')).toBe(
      'Malformed request body: the multipart/form-data parts do not match the boundary given in Content-Type',
    );
  });
});

describe('a commit message with a control character from the web editor', () => {
  it('is refused with 422 naming it, and nothing is saved', async () => {
    const saved = await eddie.post(wikiPath('Web Message', 'edit'), {
      content: 'text',
      revision: '',
      message: 'nul\u0000here',
      action: 'save',
    });
    expect(saved.status).toBe(422);
    expect(saved.text).toContain('commit message: NUL and control characters are not allowed');
    expect((await eddie.get('/w/main/Web%20Message')).status).toBe(404);
  });
});

describe('connections', () => {
  it('a client reusing its pooled connections gets every early answer to a large POST (Connection: close)', async () => {
    const body = JSON.stringify({ content: 'x'.repeat(289 * 1024) });
    const failures: string[] = [];
    for (let i = 0; i < 50; i++) {
      try {
        const res = await fetch(`${web.url}/w/main/api/v1/pages/KeepAlive`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.text();
        expect(res.status).toBe(401); // answered before the body was read
        expect(res.headers.get('connection')).toBe('close');
      } catch (error) {
        failures.push(String((error as Error).cause ?? error));
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps an idle connection longer than clients pool theirs (undici: 4 s), and says so', async () => {
    const res = await fetch(`${web.url}/health`);
    await res.text();
    expect(res.headers.get('connection')).toBe('keep-alive');
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('does not read a GET body: the answer comes at once and the connection is closed after it', async () => {
    const { hostname, port } = new URL(web.url);
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // Announces 1 GB and sends 10 bytes of it: a server reading GET bodies would wait forever.
    socket.write(`GET /health HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: 1000000000\r\n\r\n0123456789`);
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(received).toContain('{"status":"ok"}');
  });
});
