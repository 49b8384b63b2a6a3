import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const SPEC_TABLE = (table: string): string => `
CREATE TABLE ${table} (
  service   TEXT    NOT NULL,
  component TEXT    NOT NULL,
  position  INTEGER NOT NULL,
  value     TEXT    NOT NULL,
  PRIMARY KEY (service, component, position),
  FOREIGN KEY (service, component) REFERENCES components (service, name) ON DELETE CASCADE ON UPDATE CASCADE
);`;

/** The registry schema, in order. Append new migrations; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'services, components, component lists, events',
    sql: `
CREATE TABLE services (
  name       TEXT    PRIMARY KEY,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE components (
  service        TEXT    NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  name           TEXT    NOT NULL,
  image          TEXT    NOT NULL,
  network        TEXT    NOT NULL DEFAULT '',
  user           TEXT    NOT NULL DEFAULT '',
  restart        TEXT    NOT NULL DEFAULT '',
  desired_state  TEXT    NOT NULL CHECK (desired_state IN ('running', 'stopped', 'ignore')),
  observed_state TEXT    NOT NULL DEFAULT 'unknown',
  version        TEXT    NOT NULL DEFAULT '',
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (service, name)
);
${SPEC_TABLE('component_ports')}
${SPEC_TABLE('component_volumes')}
${SPEC_TABLE('component_cmd')}
${SPEC_TABLE('component_env')}
CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  service    TEXT    NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  component  TEXT    NOT NULL,
  from_state TEXT    NOT NULL,
  to_state   TEXT    NOT NULL,
  cause      TEXT    NOT NULL CHECK (cause IN ('observed', 'operation')),
  time       INTEGER NOT NULL
);
CREATE INDEX events_by_time ON events (time);
CREATE INDEX events_by_component ON events (service, component, time);
`,
  },
  {
    version: 2,
    name: 'event details and desired state, restarts made by podman, persisted alert cooldowns',
    sql: `
ALTER TABLE events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN desired_state TEXT NOT NULL DEFAULT '';
ALTER TABLE components ADD COLUMN restart_count INTEGER NOT NULL DEFAULT 0;
CREATE TABLE restarts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  service       TEXT    NOT NULL,
  component     TEXT    NOT NULL,
  count         INTEGER NOT NULL CHECK (count > 0),
  desired_state TEXT    NOT NULL,
  time          INTEGER NOT NULL,
  FOREIGN KEY (service, component) REFERENCES components (service, name) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX restarts_by_component ON restarts (service, component, time);
CREATE TABLE alert_cooldowns (
  service    TEXT    NOT NULL,
  component  TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('drift', 'flap')),
  direction  TEXT    NOT NULL,
  alerted_at INTEGER NOT NULL,
  PRIMARY KEY (service, component, kind, direction),
  FOREIGN KEY (service, component) REFERENCES components (service, name) ON DELETE CASCADE ON UPDATE CASCADE
);
`,
  },
];

/**
 * Applies, in version order and each in its own transaction, the migrations not yet recorded in
 * `schema_migrations`. Running it again changes nothing. Returns the versions applied now.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((value) => Number(value)),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    })();
    done.push(migration.version);
  }
  return done;
}
