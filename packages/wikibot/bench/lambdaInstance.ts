import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HttpApiResult } from '../dist/http/apiGateway.js';
import { type GatewayOptions, httpApiEvent, responseOf } from './lambdaEvents.js';

// Resolves from bench/ (tests) and from dist-bench/ (the benchmark) alike.
const INSTANCE = fileURLToPath(new URL('../bench/lambda-instance.mjs', import.meta.url));

/**
 * A Lambda container in a process of its own (the built handler: run `npm run build` first), with
 * its own environment (its own /tmp index directory), spoken to through API Gateway events.
 */
export class LambdaInstance {
  private next = 0;
  private readonly pending = new Map<number, { resolve(r: HttpApiResult): void; reject(e: Error): void }>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly gateway: GatewayOptions,
  ) {
    child.on('message', (message: { id: number; result?: HttpApiResult; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result as HttpApiResult);
    });
    child.once('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`instance exited (${code})`));
      this.pending.clear();
    });
  }

  static start(env: Record<string, string>, gateway: GatewayOptions = {}): Promise<LambdaInstance> {
    const child = fork(INSTANCE, [], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new LambdaInstance(child, gateway)));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`instance exited before it was ready (${code})`)));
    });
  }

  /** Send a request as API Gateway would, and the function's result back as a response. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const event = await httpApiEvent(new Request(url, init), this.gateway);
    const id = this.next++;
    const result = new Promise<HttpApiResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.send({ id, event, timeoutMs: 30_000 });
    return responseOf(await result);
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill();
    });
  }
}
