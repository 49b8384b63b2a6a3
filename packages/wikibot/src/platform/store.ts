import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Generated, Kysely, type Migration, Migrator, SqliteDialect } from 'kysely';

/** Platform state: wikis, tokens (users, roles and grants come with accounts). */
export interface PlatformTables {
  wikis: {
    slug: string;
    title: string;
    is_public: number;
    created_at: string;
  };
  api_tokens: {
    id: string;
    /** null: every wiki */
    wiki_slug: string | null;
    name: string;
    secret_hash: string;
    scopes: string;
    created_at: string;
    expires_at: string | null;
    last_used_at: string | null;
    revoked_at: string | null;
    seq: Generated<number>;
  };
}

export type PlatformDb = Kysely<PlatformTables>;

const migrations: Record<string, Migration> = {
  '001_wikis_and_tokens': {
    async up(db) {
      await db.schema
        .createTable('wikis')
        .addColumn('slug', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('wiki_slug', 'text', (c) => c.references('wikis.slug').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
    },
  },
};

/** Open (creating and migrating) the embedded platform store: one SQLite file. */
export async function openPlatformStore(file: string): Promise<PlatformDb> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<PlatformTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return db;
}
