import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { ProviderResult } from '../embed/provider.js';
import { Invalid, Unavailable } from '../wiki/errors.js';

/** `wikibot model pull`: fetch the local embedding model ahead of its first use. */
export function registerModelCommands(program: Command, config: () => Promise<Config>): void {
  const model = program.command('model').description('the local embedding model behind semantic search');
  model
    .command('pull')
    .description('download the embedding model into the model cache now, with a progress bar')
    .action(async () => {
      const [{ embeddingConfig }, { DEFAULT_LOCAL_MODEL }, { progressBar }] = await Promise.all([
        import('../config.js'),
        import('../embed/provider.js'),
        import('./progress.js'),
      ]);
      const embedding = embeddingConfig(await config());
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
