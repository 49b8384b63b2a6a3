import { type Generated, Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { StoreLocation } from '../config.js';
import { registerChangeStamp, type StoreDialect, storeDialect } from './dialect.js';

/** Platform state: wikis, tokens, accounts and roles, browser sessions, OAuth grants. */
export interface PlatformTables {
  wikis: {
    slug: string;
    title: string;
    is_public: number;
    created_at: string;
    /** Set when the wiki was deleted: it stays restorable for the retention period, then is purged. */
    deleted_at: string | null;
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
  /** Generated key material shared by every replica (cookie keys). */
  secrets: {
    name: string;
    value: string;
    created_at: string;
  };
  /** Recent failures (sign-ins) or uses (registrations) per account or client address, for backoff. */
  throttles: {
    /** e.g. "login-account:<user id>", "login-address:<address>", "register:<address>" */
    name: string;
    hits: number;
    last_hit_at: string;
  };
  /** Single-use invitations to a wiki (see platform/service/invites.ts). */
  invites: {
    id: string;
    wiki_slug: string;
    role: string;
    /** SHA-256 of the secret part of `wbi_<id>_<secret>`. */
    secret_hash: string;
    /** null: made by the operator (CLI, admin token), or its maker's account was deleted. */
    created_by: string | null;
    created_at: string;
    expires_at: string;
    accepted_at: string | null;
    accepted_by: string | null;
    revoked_at: string | null;
  };
  /** The authorization server's token signing keys, one per generation (see auth/oauth/keys.ts). */
  signing_keys: {
    /** 1, 2, …: the primary key is the claim when replicas rotate at once. */
    generation: number;
    kid: string;
    /** The private JWK, JSON. */
    private_jwk: string;
    /** Epoch seconds from which it signs; published in the JWKS from creation. */
    signs_from: number;
    created_at: string;
  };
  /** A platform admin's limits for one wiki, each overriding the configured default; null: the default. */
  wiki_limits: {
    wiki_slug: string;
    pages: number | null;
    repo_bytes: number | null;
    attachment_bytes: number | null;
    attachments: number | null;
    updated_at: string;
  };
}

export type PlatformDb = Kysely<PlatformTables>;

/**
 * The schema, one migration per change, the same for both engines (portable kysely schema builder;
 * the few engine differences come from {@link StoreDialect}). Applied in name order: add new ones
 * with the next number.
 */
const migrations = (dialect: StoreDialect): Record<string, Migration> => ({
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
        .addColumn('seq', 'integer', (c) => dialect.autoIncrementKey(c))
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
        .addColumn('expires_at', 'bigint')
        .addColumn('consumed_at', 'bigint')
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
  '003_throttles': {
    async up(db) {
      await db.schema
        .createTable('throttles')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addColumn('last_hit_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('throttles_last_hit').on('throttles').column('last_hit_at').execute();
    },
  },
  '004_signing_keys': {
    async up(db) {
      await db.schema
        .createTable('signing_keys')
        .addColumn('generation', 'integer', (c) => c.primaryKey())
        .addColumn('kid', 'text', (c) => c.notNull().unique())
        .addColumn('private_jwk', 'text', (c) => c.notNull())
        .addColumn('signs_from', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // The single key of earlier versions becomes the first generation, signing since forever.
      const old = await db
        .selectFrom('secrets')
        .select(['value', 'created_at'])
        .where('name', '=', 'oauth_signing_jwk')
        .executeTakeFirst();
      if (old) {
        const jwk = JSON.parse(old.value) as { kid: string };
        await db
          .insertInto('signing_keys')
          .values({
            generation: 1,
            kid: jwk.kid,
            private_jwk: old.value,
            signs_from: 0,
            created_at: old.created_at,
          })
          .execute();
        await db.deleteFrom('secrets').where('name', '=', 'oauth_signing_jwk').execute();
      }
    },
  },
  '005_platform': {
    async up(db) {
      await db.schema.alterTable('wikis').addColumn('deleted_at', 'text').execute();
      await db.schema
        .createTable('invites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('wiki_slug', 'text', (c) => c.notNull().references('wikis.slug').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('accepted_at', 'text')
        .addColumn('accepted_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('invites_wiki').on('invites').column('wiki_slug').execute();
    },
  },
  '006_limits': {
    async up(db) {
      await db.schema
        .createTable('wiki_limits')
        .addColumn('wiki_slug', 'text', (c) => c.primaryKey().references('wikis.slug').onDelete('cascade'))
        .addColumn('pages', 'bigint')
        .addColumn('repo_bytes', 'bigint')
        .addColumn('attachment_bytes', 'bigint')
        .addColumn('attachments', 'bigint')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
});

const MIGRATION_ATTEMPTS = 3;

/**
 * Open (creating and migrating) the platform store: a SQLite file, or a PostgreSQL database that
 * several replicas share. Replicas starting together migrate once (kysely's migration lock). `warn`
 * hears what needs an operator's attention (permissions tightened, a broken connection replaced).
 */
export async function openPlatformStore(
  location: StoreLocation,
  warn: (message: string) => void = (message) => process.emitWarning(message),
  options: { upTo?: string } = {},
): Promise<PlatformDb> {
  const dialect = await storeDialect(location, warn);
  const db = new Kysely<PlatformTables>({ dialect: dialect.kysely });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(dialect) } });
  // `upTo` stops at a named migration: a store as an older version left it (upgrade tests).
  const run = () => (options.upTo ? migrator.migrateTo(options.upTo) : migrator.migrateToLatest());
  // On SQLite kysely takes no lock and runs migrations outside a transaction, so replicas starting
  // together would each create the same tables: one immediate transaction makes them migrate one
  // after another (the others wait for it, busy_timeout) and all or nothing. A loser that still
  // fails (opening the new file) finds the migrations done on a second look.
  const migrate = async (): Promise<MigrationResultSet> => {
    if (dialect.kind !== 'sqlite') return run();
    await sql`begin immediate`.execute(db);
    let result: MigrationResultSet | undefined;
    try {
      result = await run();
    } finally {
      await sql.raw(result && !result.error ? 'commit' : 'rollback').execute(db);
    }
    return result;
  };
  let { error } = await migrate();
  for (let attempt = 1; error && attempt < MIGRATION_ATTEMPTS; attempt++) {
    ({ error } = await migrate());
  }
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  registerChangeStamp(db, dialect);
  return db;
}
