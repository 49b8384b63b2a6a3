import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  type ColumnDefinitionBuilder,
  type Dialect,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
} from 'kysely';
import type { StoreLocation } from '../config.js';
import { TurnMemo } from '../git/turnMemo.js';
import { keepPrivate } from './privateFiles.js';

/**
 * Everything that differs between the two engines the platform store runs on, in one place: how a
 * connection is made, how an auto-numbered key is declared, and how a duplicate key is reported.
 * Every query elsewhere is portable (kysely, no raw SQL): booleans are 0/1 integers, times ISO text
 * or epoch seconds, case-insensitive values stored lowercase.
 */
export interface StoreDialect {
  kind: StoreLocation['kind'];
  kysely: Dialect;
  /** An integer primary key numbered by the database. */
  autoIncrementKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /**
   * A value that differs whenever the store may have changed since it was last read: at once after a
   * commit by this process, from the next turn of the event loop after one by another connection
   * (process, replica; a request arrives in a turn of its own, so it sees it). Absent where no check is
   * cheaper than the query itself (PostgreSQL), so there nothing read from the store may be kept
   * across requests.
   */
  changeStamp?: () => string;
}

const changeStamps = new WeakMap<object, () => string>();

/** The change stamp of an open store (see {@link StoreDialect.changeStamp}); undefined if it has none. */
export function storeChangeStamp(db: object): (() => string) | undefined {
  return changeStamps.get(db);
}

/** Make `dialect`'s change stamp the one of `db`, the store opened with it. */
export function registerChangeStamp(db: object, dialect: StoreDialect): void {
  if (dialect.changeStamp) changeStamps.set(db, dialect.changeStamp);
}

/** PostgreSQL's int8 (COUNT(*), bigint columns) as a JS number: our values are counts and epoch seconds. */
const INT8_OID = 20;

export async function storeDialect(
  location: StoreLocation,
  warn: (message: string) => void,
): Promise<StoreDialect> {
  if (location.kind === 'postgres') {
    // Loaded only when used: the SQLite default (and every CLI command on it) does not pay for it.
    const { default: pg } = await import('pg');
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({ connectionString: location.url, max: location.poolSize, types });
    // Unhandled, this event would end the process; the next query simply gets a new connection.
    pool.on('error', (error) =>
      warn(`a platform store connection failed (${error.message}); the next query opens a new one`),
    );
    return {
      kind: 'postgres',
      kysely: new PostgresDialect({ pool }),
      autoIncrementKey: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
    };
  }
  keepPrivate(dirname(location.file), location.file, warn);
  const sqlite = new BetterSqlite3(location.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const writes = { count: 0 };
  return {
    kind: 'sqlite',
    kysely: new SqliteDialect({ database: withStatementCache(sqlite, writes) }),
    autoIncrementKey: (column) => column.primaryKey().autoIncrement(),
    changeStamp: sqliteChangeStamp(sqlite, writes),
  };
}

/**
 * `data_version` moves when another connection (process, replica) commits; this connection's own
 * writes are counted as they run, so they change the stamp at once. The pragma costs ~7 µs (WAL file
 * locks taken and dropped), so it is read once per turn of the event loop.
 */
function sqliteChangeStamp(sqlite: BetterSqlite3.Database, writes: { count: number }): () => string {
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const version = new TurnMemo(() => dataVersion.get());
  return () => `${version.get()}:${writes.count}`;
}

/** A unique or primary key constraint failed: another writer got there first. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505' // PostgreSQL unique_violation
  );
}

/**
 * Kysely prepares every query afresh; the same few queries run on every request (wiki record, token,
 * role), so keep their prepared statements. Bounded: SQL text is built from query shapes, not values.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, writes: { count: number }): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= 500) statements.clear();
        statement = counted(sqlite.prepare(sql), writes);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** A statement that may write counts each run in `writes` (before it runs: a reader never sees new rows under an old count). */
function counted(statement: BetterSqlite3.Statement, writes: { count: number }): SqliteStatement {
  if (statement.readonly) return statement;
  return {
    reader: statement.reader,
    all: (parameters) => {
      writes.count++;
      return statement.all(parameters);
    },
    run: (parameters) => {
      writes.count++;
      return statement.run(parameters);
    },
    iterate: (parameters) => {
      writes.count++;
      return statement.iterate(parameters);
    },
  };
}
