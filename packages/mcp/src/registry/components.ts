import type Database from 'better-sqlite3';
import type { ComponentDef, DesiredState } from '../servicedef/types.js';
import type { ComponentRecord } from './types.js';

/** The list-valued fields of a component, each stored as ordered rows in its own table. */
const LIST_TABLES = {
  ports: 'component_ports',
  volumes: 'component_volumes',
  cmd: 'component_cmd',
  env: 'component_env',
} as const;

type ListField = keyof typeof LIST_TABLES;
const LIST_FIELDS = Object.keys(LIST_TABLES) as ListField[];

interface ComponentRow {
  service: string;
  name: string;
  image: string;
  network: string;
  user: string;
  restart: string;
  desired_state: DesiredState;
  observed_state: string;
  version: string;
  restart_count: number;
  updated_at: number;
}

interface ListRow {
  service: string;
  component: string;
  value: string;
}

/** Reads the components of one service, or of every service when `service` is undefined. */
export function readComponents(db: Database.Database, service?: string): ComponentRecord[] {
  const where = service === undefined ? '' : 'WHERE service = ?';
  const args = service === undefined ? [] : [service];
  const rows = db
    .prepare(`SELECT * FROM components ${where} ORDER BY service, name`)
    .all(...args) as ComponentRow[];
  const lists = new Map<string, Record<ListField, string[]>>();
  const key = (svc: string, comp: string): string => `${svc}\u0000${comp}`;
  for (const row of rows) lists.set(key(row.service, row.name), { ports: [], volumes: [], cmd: [], env: [] });
  for (const field of LIST_FIELDS) {
    const listRows = db
      .prepare(
        `SELECT service, component, value FROM ${LIST_TABLES[field]} ${where} ORDER BY service, component, position`,
      )
      .all(...args) as ListRow[];
    for (const row of listRows) lists.get(key(row.service, row.component))?.[field].push(row.value);
  }
  return rows.map((row) => {
    const list = lists.get(key(row.service, row.name)) ?? { ports: [], volumes: [], cmd: [], env: [] };
    return {
      service: row.service,
      spec: {
        name: row.name,
        image: row.image,
        network: row.network,
        user: row.user,
        restart: row.restart,
        ...list,
      },
      desired: row.desired_state,
      observed: row.observed_state,
      version: row.version,
      restartCount: row.restart_count,
      updatedAt: new Date(row.updated_at),
    };
  });
}

/** Inserts or replaces a component's spec and desired state; its observed state is kept. */
export function writeComponent(
  db: Database.Database,
  service: string,
  spec: ComponentDef,
  desired: DesiredState,
  version: string,
  now: number,
): void {
  db.prepare(
    `INSERT INTO components (service, name, image, network, user, restart, desired_state, version, updated_at)
     VALUES (@service, @name, @image, @network, @user, @restart, @desired, @version, @now)
     ON CONFLICT (service, name) DO UPDATE SET image = excluded.image, network = excluded.network,
       user = excluded.user, restart = excluded.restart, desired_state = excluded.desired_state,
       version = excluded.version, updated_at = excluded.updated_at`,
  ).run({
    service,
    name: spec.name,
    image: spec.image,
    network: spec.network,
    user: spec.user,
    restart: spec.restart,
    desired,
    version,
    now,
  });
  for (const field of LIST_FIELDS) {
    const table = LIST_TABLES[field];
    db.prepare(`DELETE FROM ${table} WHERE service = ? AND component = ?`).run(service, spec.name);
    const insert = db.prepare(
      `INSERT INTO ${table} (service, component, position, value) VALUES (?, ?, ?, ?)`,
    );
    spec[field].forEach((value, position) => {
      insert.run(service, spec.name, position, value);
    });
  }
}
