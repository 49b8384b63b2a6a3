import type Database from 'better-sqlite3';
import type { ComponentDef, DesiredState } from '../servicedef/types.js';
import { readComponents, writeComponent } from './components.js';
import { openDatabase } from './db.js';
import type { ComponentRecord, EventCause, EventQuery, EventRecord, ServiceRecord } from './types.js';

interface ServiceRow {
  name: string;
  active: number;
  created_at: number;
  updated_at: number;
}

interface EventRow {
  id: number;
  service: string;
  component: string;
  from_state: string;
  to_state: string;
  cause: EventCause;
  time: number;
}

/** The agent's SQLite registry of desired and observed state. */
export class Registry {
  private constructor(
    readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  static open(path: string, now: () => number = Date.now): Registry {
    return new Registry(openDatabase(path), now);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  upsertService(name: string, active: boolean): void {
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO services (name, active, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET active = excluded.active, updated_at = excluded.updated_at`,
      )
      .run(name, active ? 1 : 0, now, now);
  }

  setServiceActive(name: string, active: boolean): void {
    this.db
      .prepare('UPDATE services SET active = ?, updated_at = ? WHERE name = ?')
      .run(active ? 1 : 0, this.now(), name);
  }

  /** Deletes a service with its components, their lists and its events. */
  deleteService(name: string): boolean {
    return this.db.prepare('DELETE FROM services WHERE name = ?').run(name).changes > 0;
  }

  getService(name: string): ServiceRecord | undefined {
    const row = this.db.prepare('SELECT * FROM services WHERE name = ?').get(name) as ServiceRow | undefined;
    return row && this.toService(row, readComponents(this.db, name));
  }

  listServices(): ServiceRecord[] {
    const rows = this.db.prepare('SELECT * FROM services ORDER BY name').all() as ServiceRow[];
    const components = readComponents(this.db);
    return rows.map((row) =>
      this.toService(
        row,
        components.filter((component) => component.service === row.name),
      ),
    );
  }

  serviceNames(): string[] {
    return this.db.prepare('SELECT name FROM services ORDER BY name').pluck().all() as string[];
  }

  private toService(row: ServiceRow, components: ComponentRecord[]): ServiceRecord {
    return {
      name: row.name,
      active: row.active === 1,
      components,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
  }

  getComponent(service: string, name: string): ComponentRecord | undefined {
    return readComponents(this.db, service).find((component) => component.spec.name === name);
  }

  /** Records a component's full spec and desired state (the service must exist). */
  putComponent(service: string, spec: ComponentDef, desired: DesiredState, version: string): void {
    this.transaction(() => writeComponent(this.db, service, spec, desired, version, this.now()));
  }

  deleteComponent(service: string, name: string): boolean {
    return (
      this.db.prepare('DELETE FROM components WHERE service = ? AND name = ?').run(service, name).changes > 0
    );
  }

  setDesired(service: string, component: string, desired: DesiredState): void {
    this.db
      .prepare('UPDATE components SET desired_state = ?, updated_at = ? WHERE service = ? AND name = ?')
      .run(desired, this.now(), service, component);
  }

  /**
   * Records the component's observed state; when it differs from the last one, also records the
   * transition as an event (with its cause) and returns it.
   */
  setObserved(
    service: string,
    component: string,
    observed: string,
    cause: EventCause,
    time = new Date(this.now()),
  ): EventRecord | undefined {
    return this.transaction(() => {
      const previous = this.getComponent(service, component)?.observed;
      if (previous === undefined) return undefined;
      this.db
        .prepare('UPDATE components SET observed_state = ?, updated_at = ? WHERE service = ? AND name = ?')
        .run(observed, time.getTime(), service, component);
      return previous === observed
        ? undefined
        : this.recordEvent(service, component, previous, observed, cause, time);
    });
  }

  recordEvent(
    service: string,
    component: string,
    from: string,
    to: string,
    cause: EventCause,
    time = new Date(this.now()),
  ): EventRecord {
    const result = this.db
      .prepare(
        'INSERT INTO events (service, component, from_state, to_state, cause, time) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(service, component, from, to, cause, time.getTime());
    return { id: Number(result.lastInsertRowid), service, component, from, to, cause, time };
  }

  /** Events matching the query, oldest first. */
  listEvents(query: EventQuery = {}): EventRecord[] {
    const clauses: string[] = [];
    const args: (string | number)[] = [];
    if (query.service !== undefined) {
      clauses.push('service = ?');
      args.push(query.service);
    }
    if (query.component !== undefined) {
      clauses.push('component = ?');
      args.push(query.component);
    }
    if (query.since !== undefined) {
      clauses.push('time >= ?');
      args.push(query.since.getTime());
    }
    if (query.until !== undefined) {
      clauses.push('time < ?');
      args.push(query.until.getTime());
    }
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    const limit = query.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM events ${where} ORDER BY time DESC, id DESC ${limit}`)
      .all(...args) as EventRow[];
    return rows.reverse().map((row) => ({
      id: row.id,
      service: row.service,
      component: row.component,
      from: row.from_state,
      to: row.to_state,
      cause: row.cause,
      time: new Date(row.time),
    }));
  }

  /** How many transitions (of one cause, if given) a component had at or after `since`. */
  countEvents(service: string, component: string, since: Date, cause?: EventCause): number {
    const byCause = cause === undefined ? '' : 'AND cause = ?';
    return Number(
      this.db
        .prepare(`SELECT COUNT(*) FROM events WHERE service = ? AND component = ? AND time >= ? ${byCause}`)
        .pluck()
        .get(service, component, since.getTime(), ...(cause === undefined ? [] : [cause])),
    );
  }

  /** Deletes events older than `before`; returns how many. */
  pruneEvents(before: Date): number {
    return this.db.prepare('DELETE FROM events WHERE time < ?').run(before.getTime()).changes;
  }

  /** Writes a consistent copy of the database to `path` (VACUUM INTO). */
  snapshot(path: string): void {
    this.db.prepare('VACUUM INTO ?').run(path);
  }
}
