import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { sizeHeapForServing } from '../heapGrowth.js';
import { OPERATOR } from '../platform/service/caller.js';
import { parseScopes } from '../platform/tokens.js';
import type { Services } from '../services.js';
import { Invalid, WikiError } from '../wiki/errors.js';
import { registerModelCommands } from './model.js';
import type { GlobalOptions } from './open.js';
import { registerUserCommands } from './users.js';

/**
 * `wikibot` and its subcommands. Only the command table loads here: each command imports what it
 * needs when it runs, so that `--help` and a mistyped command answer at once.
 */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('wikibot')
    .description('A git-backed Markdown wiki for people and AI agents')
    .option('--data <dir>', 'data directory (env WIKIBOT_DATA; default ./wikibot-data)')
    .option('--config <file>', 'TOML configuration file (env WIKIBOT_CONFIG)')
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true });

  program
    .command('serve')
    .description('serve the wikis over HTTP (REST API, MCP, web)')
    .option('--host <host>', 'address to listen on (env WIKIBOT_HOST; default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (env WIKIBOT_PORT; default 8080)')
    .option(
      '--workers <n>',
      'server processes sharing the port (env WIKIBOT_WORKERS; default: one per CPU core)',
    )
    .action(async (opts: { host?: string; port?: string; workers?: string }) => {
      sizeHeapForServing(); // first: before loading the server grows the young generation
      const { configFrom, serveCommand } = await import('./open.js');
      await serveCommand(
        configFrom(program.opts(), { host: opts.host, port: opts.port, workers: opts.workers }),
      );
    });

  registerUserCommands(program, (task) => withServices(program.opts(), task));
  registerModelCommands(program, async () => (await import('./open.js')).configFrom(program.opts()));

  const wiki = program.command('wiki').description('manage wikis');
  wiki
    .command('create <slug>')
    .description('create a wiki from the bootstrap template')
    .option('--title <title>', 'display title')
    .option('--empty', 'start with no pages instead of the bootstrap template')
    .action((slug: string, opts: { title?: string; empty?: boolean }) =>
      withServices(program.opts(), async (s) => {
        const record = await s.platform.wikis.create(OPERATOR, {
          slug,
          ...(opts.title ? { title: opts.title } : {}),
          ...(opts.empty ? { template: 'empty' as const } : {}),
        });
        console.log(`created wiki ${record.slug}`);
      }),
    );
  wiki
    .command('list')
    .description(
      'list the wikis: slug, title, public or private (--deleted: deleted ones and until when they can be restored)',
    )
    .option('--deleted', 'list the deleted wikis instead')
    .action((opts: { deleted?: boolean }) =>
      withServices(program.opts(), async (s) => {
        if (opts.deleted) {
          for (const w of await s.platform.wikis.listDeleted(OPERATOR))
            console.log(
              `${w.slug}\t${w.title}\tdeleted ${w.deletedAt}\trestorable until ${w.restorableUntil}`,
            );
          return;
        }
        for (const w of await s.platform.wikis.listAll(OPERATOR))
          console.log(`${w.slug}\t${w.title}\t${w.isPublic ? 'public' : 'private'}`);
      }),
    );
  wiki
    .command('delete <slug>')
    .description('delete a wiki: it can be restored until the retention period ends, then it is purged')
    .requiredOption('--yes', 'confirm deleting the wiki')
    .action((slug: string) =>
      withServices(program.opts(), async (s) => {
        const { restorableUntil } = await s.platform.wikis.delete(OPERATOR, slug);
        console.log(
          `deleted wiki ${slug}; restorable until ${restorableUntil} (wikibot wiki restore ${slug})`,
        );
      }),
    );
  wiki
    .command('restore <slug>')
    .description('bring back a deleted wiki before its retention period ends')
    .action((slug: string) =>
      withServices(program.opts(), async (s) => {
        await s.platform.wikis.restore(OPERATOR, slug);
        console.log(`restored wiki ${slug}`);
      }),
    );
  wiki
    .command('purge [slug]')
    .description(
      'remove a wiki and its repository for good (or, with --expired, every deleted wiki past retention)',
    )
    .option('--expired', 'purge the deleted wikis whose retention period has ended')
    .option('--yes', 'confirm removing the named wiki for good')
    .action((slug: string | undefined, opts: { expired?: boolean; yes?: boolean }) =>
      withServices(program.opts(), async (s) => {
        if (opts.expired) {
          for (const purged of await s.platform.wikis.purgeExpired()) console.log(`purged wiki ${purged}`);
          return;
        }
        if (!slug || !opts.yes) throw new Invalid('Name the wiki and confirm with --yes, or use --expired');
        await s.platform.wikis.purge(OPERATOR, slug);
        console.log(`purged wiki ${slug}`);
      }),
    );

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token; prints it once, alone on the last line')
    .addOption(new Option('--wiki <slug>', 'the wiki it is for ("*" for every wiki)').makeOptionMandatory())
    .option('--scopes <list>', 'comma-separated scopes', 'wiki:read')
    .option('--name <name>', 'a name to recognise it by (becomes the commit author)', 'api token')
    .option('--expires-in-days <n>', 'days until it expires')
    .action((opts: { wiki: string; scopes: string; name: string; expiresInDays?: string }) =>
      withServices(program.opts(), async (s) => {
        const days = opts.expiresInDays === undefined ? undefined : Number(opts.expiresInDays);
        if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
          throw new WikiError('--expires-in-days must be a positive number');
        }
        const created = await s.platform.tokens.createForWiki(OPERATOR, {
          wiki: opts.wiki === '*' ? null : opts.wiki,
          name: opts.name,
          scopes: parseScopes(opts.scopes),
          ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000) } : {}),
        });
        console.error(
          `token ${created.info.id} for ${opts.wiki} (${created.info.scopes.join(', ')}); shown once:`,
        );
        console.log(created.token);
      }),
    );
  token
    .command('list')
    .description('list API tokens: id, wiki, name, scopes, state, last use')
    .option('--wiki <slug>', 'only tokens of this wiki')
    .action((opts: { wiki?: string }) =>
      withServices(program.opts(), async (s) => {
        for (const t of await s.platform.tokens.listAll(OPERATOR, opts.wiki)) {
          const state = t.revokedAt
            ? 'revoked'
            : t.expiresAt && Date.parse(t.expiresAt) < Date.now()
              ? 'expired'
              : 'active';
          console.log(
            [t.id, t.wiki ?? '*', t.name, t.scopes.join(','), state, t.lastUsedAt ?? 'never used'].join('\t'),
          );
        }
      }),
    );
  token
    .command('revoke <id>')
    .description('revoke an API token by its id (as token list shows it)')
    .action((id: string) =>
      withServices(program.opts(), async (s) => {
        await s.platform.tokens.revoke(OPERATOR, id);
        console.log(`revoked token ${id}`);
      }),
    );

  program
    .command('import <source>')
    .description('make an existing git or Otterwiki repository (path or URL) a wiki')
    .option('--wiki <slug>', 'slug of the new wiki (default: derived from the source)')
    .option('--title <title>', 'display title')
    .action((source: string, opts: { wiki?: string; title?: string }) =>
      withServices(program.opts(), async (s) => {
        const slug = opts.wiki ?? slugFrom(source);
        const { progressBar } = await import('./progress.js');
        const bar = progressBar('indexing');
        try {
          await s.platform.wikis.import(OPERATOR, source, {
            slug,
            ...(opts.title ? { title: opts.title } : {}),
            progress: bar.update,
          });
        } finally {
          bar.stop();
        }
        const wiki = await s.registry.wiki(slug);
        console.log(`imported ${source} as wiki ${slug} (${await wiki.pageCount()} pages)`);
      }),
    );

  program
    .command('reindex')
    .description('rebuild the derived index of one wiki (or all) from git')
    .option('--wiki <slug>', 'the wiki (default: every wiki)')
    .action((opts: { wiki?: string }) =>
      withServices(
        program.opts(),
        async (s) => {
          const { progressBar } = await import('./progress.js');
          const slugs = opts.wiki ? [opts.wiki] : (await s.registry.list()).map((w) => w.slug);
          for (const slug of slugs) {
            const wiki = await s.registry.wiki(slug);
            const bar = progressBar(slug);
            try {
              await wiki.reindex(bar.update);
            } finally {
              bar.stop();
            }
            console.log(`reindexed ${slug}: ${await wiki.pageCount()} pages`);
            // Without a provider the runtime has said why, once, in the log.
            if (!(await s.embeddings.ready()).provider) continue;
            const embedding = progressBar(`${slug} embeddings`, 'chunks');
            try {
              await wiki.semantics.drain(embedding.update);
            } finally {
              embedding.stop();
            }
          }
        },
        true,
      ),
    );

  try {
    await program.parseAsync(argv);
  } catch (error) {
    const { describeFailure } = await import('./failure.js');
    const failure = describeFailure(error);
    if (failure === undefined) throw error;
    console.error(`error: ${failure}`);
    process.exitCode = 1;
  }
}

/** Runs a command's task with the services open (loading them first). */
async function withServices(
  global: GlobalOptions,
  task: (s: Services) => Promise<void>,
  embedQueued = false,
): Promise<void> {
  await (await import('./open.js')).withServices(global, task, embedQueued);
}

function slugFrom(source: string): string {
  const name = basename(source.replace(/\/+$/, '')).replace(/\.git$/, '');
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'imported'
  );
}
