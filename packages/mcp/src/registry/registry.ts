import type Database from 'better-sqlite3';
import type { ComponentDef, DesiredState } from '../servicedef/types.js';
import { readComponents, writeComponent } from './components.js';
import { openDatabase } from './db.js';
import type {
  AlertKey,
  ComponentRecord,
  EventCause,
  EventFacts,
  EventQuery,
  EventRecord,
  ServiceRecord,
} from './types.js';

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
  detail: string;
  desired_state: string;
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
   * Records the component's observed state; when it differs from the last one (or `always`, for an
   * operation that matters even without a change, such as a restart), also records an event with
   * its cause and the component's desired state, and returns it.
   */
  setObserved(
    service: string,
    component: string,
    observed: string,
    cause: EventCause,
    options: { time?: Date; detail?: string; always?: boolean } = {},
  ): EventRecord | undefined {
    const time = options.time ?? new Date(this.now());
    return this.transaction(() => {
      const previous = this.getComponent(service, component);
      if (previous === undefined) return undefined;
      this.db
        .prepare('UPDATE components SET observed_state = ?, updated_at = ? WHERE service = ? AND name = ?')
        .run(observed, time.getTime(), service, component);
      if (previous.observed === observed && !options.always) return undefined;
      return this.recordEvent(service, component, previous.observed, observed, cause, time, {
        detail: options.detail,
        desired: previous.desired,
      });
    });
  }

  recordEvent(
    service: string,
    component: string,
    from: string,
    to: string,
    cause: EventCause,
    time = new Date(this.now()),
    facts: EventFacts = {},
  ): EventRecord {
    const detail = facts.detail ?? '';
    const desired = facts.desired ?? '';
    const result = this.db
      .prepare(
        `INSERT INTO events (service, component, from_state, to_state, cause, time, detail, desired_state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(service, component, from, to, cause, time.getTime(), detail, desired);
    return { id: Number(result.lastInsertRowid), service, component, from, to, cause, time, detail, desired };
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
      detail: row.detail,
      desired: row.desired_state,
    }));
  }

  /**
   * Takes podman's restart count for a component and records the restarts made since the last one
   * (a lower count means the container was started by hand or recreated, which resets it).
   * Returns how many that was.
   */
  noteRestartCount(service: string, component: string, count: number, time = new Date(this.now())): number {
    return this.transaction(() => {
      const record = this.getComponent(service, component);
      if (record === undefined) return 0;
      const made = count >= record.restartCount ? count - record.restartCount : count;
      this.db
        .prepare('UPDATE components SET restart_count = ? WHERE service = ? AND name = ?')
        .run(count, service, component);
      if (made > 0) {
        this.db
          .prepare(
            'INSERT INTO restarts (service, component, count, desired_state, time) VALUES (?, ?, ?, ?, ?)',
          )
          .run(service, component, made, record.desired, time.getTime());
      }
      return made;
    });
  }

  /**
   * How unsettled a component meant to run was at or after `since`: the transitions the monitor
   * saw and the restarts podman made while its desired state was running.
   */
  flapCount(service: string, component: string, since: Date): { transitions: number; restarts: number } {
    const args = [service, component, since.getTime()];
    const transitions = this.db
      .prepare(
        `SELECT COUNT(*) FROM events WHERE service = ? AND component = ? AND time >= ?
           AND cause = 'observed' AND desired_state = 'running'`,
      )
      .pluck()
      .get(...args);
    const restarts = this.db
      .prepare(
        `SELECT COALESCE(SUM(count), 0) FROM restarts WHERE service = ? AND component = ? AND time >= ?
           AND desired_state = 'running'`,
      )
      .pluck()
      .get(...args);
    return { transitions: Number(transitions), restarts: Number(restarts) };
  }

  /** When this alert last fired, if it ever did. */
  lastAlert(key: AlertKey): Date | undefined {
    const time = this.db
      .prepare(
        'SELECT alerted_at FROM alert_cooldowns WHERE service = ? AND component = ? AND kind = ? AND direction = ?',
      )
      .pluck()
      .get(key.service, key.component, key.kind, key.direction);
    return time === undefined ? undefined : new Date(Number(time));
  }

  recordAlert(key: AlertKey, time: Date): void {
    this.db
      .prepare(
        `INSERT INTO alert_cooldowns (service, component, kind, direction, alerted_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (service, component, kind, direction) DO UPDATE SET alerted_at = excluded.alerted_at`,
      )
      .run(key.service, key.component, key.kind, key.direction, time.getTime());
  }

  /** Deletes events (and recorded restarts) older than `before`; returns how many events. */
  pruneEvents(before: Date): number {
    this.db.prepare('DELETE FROM restarts WHERE time < ?').run(before.getTime());
    return this.db.prepare('DELETE FROM events WHERE time < ?').run(before.getTime()).changes;
  }

  /** Writes a consistent copy of the database to `path` (VACUUM INTO). */
  snapshot(path: string): void {
    this.db.prepare('VACUUM INTO ?').run(path);
  }
}
