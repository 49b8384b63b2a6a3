import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Generated, Kysely, type Migration, Migrator, type SqliteDatabase, SqliteDialect } from 'kysely';

/** Platform state: wikis, tokens, accounts and roles, browser sessions, OAuth grants. */
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
    /** The account the token acts for (its role bounds the scopes); null: scopes alone. */
    user_id: string | null;
  };
  users: {
    id: string;
    /** Lowercase, unique. */
    username: string;
    /** Lowercase, unique when present. */
    email: string | null;
    display_name: string;
    /** null: signs in only through an upstream provider or proxy. */
    password_hash: string | null;
    is_admin: number;
    disabled: number;
    password_change_required: number;
    created_at: string;
  };
  user_identities: {
    issuer: string;
    subject: string;
    user_id: string;
    created_at: string;
  };
  wiki_members: {
    wiki_slug: string;
    user_id: string;
    role: string;
    created_at: string;
  };
  sessions: {
    /** SHA-256 of the cookie value. */
    id_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: string;
    expires_at: string;
  };
  /** Everything the authorization server persists: grants, codes, refresh tokens, clients, sessions. */
  oauth_records: {
    model: string;
    id: string;
    payload: string;
    grant_id: string | null;
    user_code: string | null;
    uid: string | null;
    /** Epoch seconds; null: never. */
    expires_at: number | null;
    consumed_at: number | null;
  };
  /** Generated key material shared by every replica (signing keys, cookie keys). */
  secrets: {
    name: string;
    value: string;
    created_at: string;
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
  '002_accounts_roles_sessions_oauth': {
    async up(db) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text', (c) => c.unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('password_change_required', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('user_identities')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_identities_pk', ['issuer', 'subject'])
        .execute();
      await db.schema
        .createTable('wiki_members')
        .addColumn('wiki_slug', 'text', (c) => c.notNull().references('wikis.slug').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('wiki_members_pk', ['wiki_slug', 'user_id'])
        .execute();
      await db.schema.createIndex('wiki_members_user').on('wiki_members').column('user_id').execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oauth_records')
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text')
        .addColumn('user_code', 'text')
        .addColumn('uid', 'text')
        .addColumn('expires_at', 'integer')
        .addColumn('consumed_at', 'integer')
        .addPrimaryKeyConstraint('oauth_records_pk', ['model', 'id'])
        .execute();
      await db.schema.createIndex('oauth_records_grant').on('oauth_records').column('grant_id').execute();
      await db.schema.createIndex('oauth_records_uid').on('oauth_records').column('uid').execute();
      await db.schema.createIndex('oauth_records_expiry').on('oauth_records').column('expires_at').execute();
      await db.schema
        .createTable('secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .alterTable('api_tokens')
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .execute();
    },
  },
};

const MIGRATION_ATTEMPTS = 3;

/** Open (creating and migrating) the embedded platform store: one SQLite file. */
export async function openPlatformStore(file: string): Promise<PlatformDb> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<PlatformTables>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  // Replicas starting together race to migrate (kysely takes no lock on SQLite): the loser's
  // transaction rolls back, and on a second look it finds the migrations done.
  let { error } = await migrator.migrateToLatest();
  for (let attempt = 1; error && attempt < MIGRATION_ATTEMPTS; attempt++) {
    ({ error } = await migrator.migrateToLatest());
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return db;
}

/**
 * Kysely prepares every query afresh; the same few queries run on every request (wiki record, token,
 * role), so keep their prepared statements. Bounded: SQL text is built from query shapes, not values.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= 500) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
