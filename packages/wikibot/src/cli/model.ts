import type { Command } from 'commander';
import { type Config, embeddingConfig } from '../config.js';
import { DEFAULT_LOCAL_MODEL, type ProviderResult } from '../embed/provider.js';
import { Invalid, Unavailable } from '../wiki/errors.js';
import { progressBar } from './progress.js';

/** `wikibot model pull`: fetch the local embedding model ahead of its first use. */
export function registerModelCommands(program: Command, config: () => Config): void {
  const model = program.command('model').description('the local embedding model behind semantic search');
  model
    .command('pull')
    .description('download the embedding model into the model cache now, with a progress bar')
    .action(async () => {
      const embedding = embeddingConfig(config());
      if (embedding.provider !== 'local') {
        throw new Invalid(
          `model pull is for the local embedding provider; this one is "${embedding.provider}"`,
        );
      }
      const name = embedding.model ?? DEFAULT_LOCAL_MODEL;
      const bar = progressBar(`downloading ${name}`, 'bytes');
      const { createLocalProvider } = await import('../embed/local.js');
      let result: ProviderResult;
      try {
        result = await createLocalProvider(
          { ...embedding, allowDownload: true },
          { downloadProgress: bar.update },
        );
      } finally {
        bar.stop();
      }
      if (!result.provider) throw new Unavailable(result.reason);
      await result.provider.close?.();
      console.log(`embedding model ${name} is ready (${result.provider.dimensions} dimensions)`);
    });
}
