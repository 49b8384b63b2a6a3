import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './net.js';

/** Debian's nginx (package `nginx`), or null when it is not installed. */
export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? null;

export interface ReverseProxy {
  url: string;
  stop(): Promise<void>;
}

/** A port for the proxy, known before the backends start (they need their public base URL). */
export const reserveProxyPort = freePort;

/**
 * nginx in the foreground as a round-robin reverse proxy in front of `backends` (host:port), with its
 * configuration, pid, logs and temp files in a temp directory.
 */
export async function startReverseProxy(port: number, backends: string[]): Promise<ReverseProxy> {
  if (!NGINX) throw new Error('nginx is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'wikibot-nginx-'));
  await mkdir(join(dir, 'temp'));
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, config(dir, port, backends));
  await promisify(execFile)(NGINX, ['-t', '-q', '-p', dir, '-c', conf, '-e', join(dir, 'error.log')]);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function config(dir: string, port: number, backends: string[]): string {
  const temp = join(dir, 'temp');
  return `
daemon off;
worker_processes 1;
${process.getuid?.() === 0 ? `user ${userInfo().username};` : ''}
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  client_max_body_size 20m;
  upstream wikibot {
${backends.map((backend) => `    server ${backend} max_fails=1 fail_timeout=30s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://wikibot;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
    }
  }
}
`;
}
