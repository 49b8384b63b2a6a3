import { describe, expect, it } from 'vitest';
import { createEmbeddingProvider, type EmbeddingConfig } from '../../src/embed/provider.js';

describe('createEmbeddingProvider', () => {
  it('gives the reason semantic search is off for provider "none"', async () => {
    expect(await createEmbeddingProvider({ provider: 'none' })).toEqual({
      provider: null,
      reason: 'semantic search is disabled (embedding provider "none")',
    });
  });

  it('names an unknown provider instead of throwing', async () => {
    const result = await createEmbeddingProvider({ provider: 'gemini' } as unknown as EmbeddingConfig);
    expect(result).toEqual({
      provider: null,
      reason: 'unknown embedding provider "gemini" (expected none, local, openai or bedrock)',
    });
  });

  it('turns an unexpected failure while starting into a reason', async () => {
    // A config whose property access throws stands in for any bug below the factory.
    const hostile = {
      provider: 'openai',
      get baseUrl(): string {
        throw new Error('config store unavailable');
      },
    } as unknown as EmbeddingConfig;
    expect(await createEmbeddingProvider(hostile)).toEqual({
      provider: null,
      reason: 'embedding provider "openai" failed to start: config store unavailable',
    });
  });
});
