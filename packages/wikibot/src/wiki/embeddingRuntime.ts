import type { Logger } from 'pino';
import {
  createEmbeddingProvider,
  type EmbeddingConfig,
  type ProviderHooks,
  type ProviderResult,
} from '../embed/provider.js';

/** How long a failed attempt to make the provider stands before the next request tries again. */
const RETRY_AFTER_MS = 60_000;

/**
 * The embedding provider of this process, made once and shared by every wiki. Making it never
 * blocks anyone: until it is ready, searches that need it hear why not; a failure (model missing,
 * server down) is retried at most once a minute, so a model put in place or a server started
 * later is picked up without a restart.
 */
export class EmbeddingRuntime {
  private result: ProviderResult | undefined;
  private making: Promise<ProviderResult> | undefined;
  private failedAt = 0;
  private closed = false;

  constructor(
    private readonly config: EmbeddingConfig,
    readonly logger?: Logger,
    readonly retryAfterMs = RETRY_AFTER_MS,
    private readonly create: (
      config: EmbeddingConfig,
      hooks?: ProviderHooks,
    ) => Promise<ProviderResult> = createEmbeddingProvider,
  ) {}

  /** Start making the provider without waiting for it. */
  start(): void {
    void this.ready();
  }

  /** The provider if it is ready now, else the reason it is not. */
  current(): ProviderResult {
    if (this.result) return this.result;
    return {
      provider: null,
      reason: this.making ? 'the embedding model is still loading' : 'the embedding provider was not started',
    };
  }

  /** The provider once made (making it, or trying again when the last failure is old enough). */
  ready(): Promise<ProviderResult> {
    if (this.closed) return Promise.resolve({ provider: null, reason: 'the server is shutting down' });
    if (this.making) return this.making;
    const last = this.result;
    const final = last?.provider || this.config.provider === 'none';
    if (last && (final || Date.now() - this.failedAt < this.retryAfterMs)) return Promise.resolve(last);
    this.making = this.create(this.config, { downloadProgress: this.downloadLog() }).then((result) => {
      this.making = undefined;
      this.report(last, result);
      this.result = result;
      if (!result.provider) this.failedAt = Date.now();
      return result;
    });
    return this.making;
  }

  async close(): Promise<void> {
    this.closed = true;
    const result = (await this.making) ?? this.result;
    await result?.provider?.close?.();
  }

  /** Logs a model download as it goes: when it starts, then every tenth of the bytes known so far. */
  private downloadLog(): (loaded: number, total: number) => void {
    let logged = -1;
    return (loaded, total) => {
      const tenth = total > 0 ? Math.floor((loaded / total) * 10) : 0;
      if (tenth <= logged) return;
      logged = tenth;
      const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
      this.logger?.info(
        { event: 'embedding_download', loaded, total },
        `downloading the embedding model into the model cache (once): ${mb(loaded)} of ${mb(total)} MB`,
      );
    };
  }

  private report(before: ProviderResult | undefined, now: ProviderResult): void {
    if (now.provider) {
      this.logger?.info(
        { event: 'embedding_ready', provider: now.provider.id },
        `embedding provider ready: ${now.provider.id}`,
      );
    } else if (before?.provider !== null || before.reason !== now.reason) {
      this.logger?.warn(
        { event: 'embedding_unavailable', reason: now.reason },
        `semantic search unavailable: ${now.reason}`,
      );
    }
  }
}
