import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/registry/db.js';
import { MIGRATIONS, type Migration, migrate } from '../../src/registry/migrations.js';
import { Registry } from '../../src/registry/registry.js';
import { snapshotRegistry } from '../../src/registry/snapshot.js';
import { componentDef } from '../../src/servicedef/types.js';
import { tempDir } from '../helpers/tmp.js';

const WEB = componentDef('web', 'registry.example/wiki:v1.2.0', {
  network: 'mcnet',
  user: '1000',
  restart: 'always',
  ports: ['127.0.0.1:8080:8080', '9090:9090'],
  volumes: ['/srv/wiki:/data'],
  cmd: ['wikibot', 'serve', '--port', '8080'],
  env: ['A=1', 'B=2'],
});
const DB = componentDef('db', 'postgres:16');

describe('registry (real SQLite)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let path: string;
  let clock: number;
  let registry: Registry;

  beforeEach(async () => {
    dir = await tempDir();
    path = join(dir.path, 'state', 'mcp.db');
    clock = Date.parse('2026-11-01T00:00:00Z');
    registry = Registry.open(path, () => clock);
  });
  afterEach(async () => {
    registry.close();
    await dir.cleanup();
  });

  it('creates the database with mode 0600, WAL, foreign keys and busy_timeout', () => {
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(registry.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(registry.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(registry.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('stores and reads back a service with its full component specs', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', 'v1.2.0');
    registry.putComponent('wiki', DB, 'stopped', '16');
    const service = registry.getService('wiki');
    expect(service?.active).toBe(true);
    expect(service?.components.map((c) => [c.spec, c.desired, c.observed, c.version])).toEqual([
      [DB, 'stopped', 'unknown', '16'],
      [WEB, 'running', 'unknown', 'v1.2.0'],
    ]);
    expect(registry.listServices().map((s) => s.name)).toEqual(['wiki']);
  });

  it('updates a component in place, replacing its lists and keeping its observed state', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', 'v1.2.0');
    registry.setObserved('wiki', 'web', 'running', 'observed');
    const changed = { ...WEB, image: 'registry.example/wiki:v1.3.0', ports: ['8081:8080'], env: [] };
    registry.putComponent('wiki', changed, 'running', 'v1.3.0');
    const web = registry.getComponent('wiki', 'web');
    expect(web?.spec).toEqual(changed);
    expect(web?.observed).toBe('running');
    registry.setDesired('wiki', 'web', 'stopped');
    expect(registry.getComponent('wiki', 'web')?.desired).toBe('stopped');
    registry.upsertService('wiki', false);
    expect(registry.getService('wiki')?.active).toBe(false);
  });

  it('refuses a desired state outside running|stopped|ignore and a component without its service', () => {
    registry.upsertService('wiki', true);
    expect(() => registry.putComponent('wiki', WEB, 'paused' as 'running', '')).toThrow(/CHECK constraint/);
    expect(() => registry.putComponent('ghost', WEB, 'running', '')).toThrow(/FOREIGN KEY/);
  });

  it('cascades deleting a service to components, their lists and events', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', 'v1.2.0');
    registry.recordEvent('wiki', 'web', 'unknown', 'running', 'operation');
    registry.upsertService('other', true);
    registry.putComponent('other', DB, 'running', '16');
    expect(registry.deleteService('wiki')).toBe(true);
    const count = (table: string) =>
      Number(registry.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());
    expect(count('components')).toBe(1);
    for (const table of ['component_ports', 'component_volumes', 'component_cmd', 'component_env']) {
      expect(count(table)).toBe(0);
    }
    expect(count('events')).toBe(0);
    expect(registry.deleteService('wiki')).toBe(false);
  });

  it('deletes one component with its lists', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', '');
    registry.putComponent('wiki', DB, 'running', '');
    expect(registry.deleteComponent('wiki', 'web')).toBe(true);
    expect(registry.getService('wiki')?.components.map((c) => c.spec.name)).toEqual(['db']);
    expect(Number(registry.db.prepare('SELECT COUNT(*) FROM component_ports').pluck().get())).toBe(0);
  });

  it('queries events by time window, component and limit, oldest first', () => {
    registry.upsertService('wiki', true);
    const at = (iso: string) => new Date(iso);
    registry.recordEvent('wiki', 'web', 'unknown', 'running', 'observed', at('2026-11-01T00:00:00Z'));
    registry.recordEvent('wiki', 'web', 'running', 'exited', 'observed', at('2026-11-01T00:05:00Z'));
    registry.recordEvent('wiki', 'db', 'unknown', 'running', 'observed', at('2026-11-01T00:06:00Z'));
    registry.recordEvent('wiki', 'web', 'exited', 'running', 'observed', at('2026-11-01T00:10:00Z'));
    const since = at('2026-11-01T00:05:00Z');
    expect(registry.listEvents({ since }).map((e) => `${e.component}:${e.to}`)).toEqual([
      'web:exited',
      'db:running',
      'web:running',
    ]);
    expect(
      registry.listEvents({ component: 'web', until: at('2026-11-01T00:10:00Z') }).map((e) => e.to),
    ).toEqual(['running', 'exited']);
    expect(registry.listEvents({ limit: 2 }).map((e) => e.to)).toEqual(['running', 'running']);
    expect(registry.listEvents({ component: 'web', since })).toHaveLength(2);
    expect(registry.listEvents({ since: at('2026-11-01T00:10:00.001Z') })).toEqual([]);
  });

  it('records a transition event only when the observed state changes, with its cause', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', '');
    const first = registry.setObserved('wiki', 'web', 'running', 'operation');
    expect(first).toMatchObject({ from: 'unknown', to: 'running', cause: 'operation' });
    expect(registry.setObserved('wiki', 'web', 'running', 'observed')).toBeUndefined();
    clock += 1000;
    expect(registry.setObserved('wiki', 'web', 'exited', 'observed')).toMatchObject({
      from: 'running',
      to: 'exited',
    });
    expect(registry.getComponent('wiki', 'web')?.observed).toBe('exited');
    const since = new Date(clock - 60_000);
    expect(registry.listEvents({ since }).map((e) => [e.cause, e.desired])).toEqual([
      ['operation', 'running'],
      ['observed', 'running'],
    ]);
    expect(registry.flapCount('wiki', 'web', since)).toEqual({ transitions: 1, restarts: 0 });
    expect(registry.setObserved('wiki', 'ghost', 'running', 'observed')).toBeUndefined();
    const restarted = registry.setObserved('wiki', 'web', 'exited', 'operation', {
      detail: 'restarted',
      always: true,
    });
    expect(restarted).toMatchObject({ from: 'exited', to: 'exited', detail: 'restarted' });
  });

  it('counts restarts podman made and transitions while meant to run, not while stopped on purpose', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', '');
    const since = new Date(clock - 60_000);
    expect(registry.noteRestartCount('wiki', 'web', 5)).toBe(5);
    expect(registry.noteRestartCount('wiki', 'web', 5)).toBe(0);
    expect(registry.noteRestartCount('wiki', 'web', 9)).toBe(4);
    // A lower count: started by hand or recreated, so counting starts again.
    expect(registry.noteRestartCount('wiki', 'web', 2)).toBe(2);
    registry.setObserved('wiki', 'web', 'exited', 'observed');
    expect(registry.flapCount('wiki', 'web', since)).toEqual({ transitions: 1, restarts: 11 });

    registry.setDesired('wiki', 'web', 'stopped');
    registry.noteRestartCount('wiki', 'web', 30);
    registry.setObserved('wiki', 'web', 'running', 'observed');
    expect(registry.flapCount('wiki', 'web', since)).toEqual({ transitions: 1, restarts: 11 });
    expect(registry.getComponent('wiki', 'web')?.restartCount).toBe(30);
    clock += 31 * 86_400_000;
    registry.pruneEvents(new Date(clock - 30 * 86_400_000));
    expect(Number(registry.db.prepare('SELECT COUNT(*) FROM restarts').pluck().get())).toBe(0);
  });

  it('keeps the last alert per component, kind and direction across reopening', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', '');
    const down = { service: 'wiki', component: 'web', kind: 'drift', direction: 'down' } as const;
    expect(registry.lastAlert(down)).toBeUndefined();
    registry.recordAlert(down, new Date(clock));
    registry.recordAlert(down, new Date(clock + 1000));
    registry.close();
    registry = Registry.open(path, () => clock);
    expect(registry.lastAlert(down)).toEqual(new Date(clock + 1000));
    expect(registry.lastAlert({ ...down, direction: 'up' })).toBeUndefined();
    expect(registry.lastAlert({ ...down, kind: 'flap', direction: '' })).toBeUndefined();
    registry.deleteComponent('wiki', 'web');
    expect(registry.lastAlert(down)).toBeUndefined();
  });

  it('prunes events older than a cutoff and keeps the rest', () => {
    registry.upsertService('wiki', true);
    registry.recordEvent('wiki', 'web', 'a', 'b', 'observed', new Date('2026-09-01T00:00:00Z'));
    registry.recordEvent('wiki', 'web', 'b', 'c', 'observed', new Date('2026-10-15T00:00:00Z'));
    expect(registry.pruneEvents(new Date('2026-10-02T00:00:00Z'))).toBe(1);
    expect(registry.listEvents().map((e) => e.to)).toEqual(['c']);
  });

  it('applies migrations once, in order, and again changes nothing', () => {
    registry.close();
    const db = openDatabase(path);
    expect(migrate(db)).toEqual([]);
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(recorded).toEqual(MIGRATIONS.map((m) => m.version));
    const extra: Migration[] = [
      { version: 11, name: 'eleventh', sql: 'CREATE TABLE eleventh (id INTEGER)' },
      { version: 10, name: 'tenth', sql: 'CREATE TABLE tenth (id INTEGER)' },
    ];
    expect(migrate(db, [...MIGRATIONS, ...extra])).toEqual([10, 11]);
    expect(migrate(db, [...MIGRATIONS, ...extra])).toEqual([]);
    db.close();
    registry = Registry.open(path, () => clock);
  });

  it('rolls back a failing migration and records nothing for it', () => {
    const db = new Database(join(dir.path, 'other.db'));
    const broken: Migration[] = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (id INTEGER)' },
      { version: 2, name: 'bad', sql: 'CREATE TABLE b (id INTEGER); NOT SQL' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    db.close();
  });

  it('snapshots into a timestamped, valid SQLite copy with mode 0600', () => {
    registry.upsertService('wiki', true);
    registry.putComponent('wiki', WEB, 'running', 'v1.2.0');
    const backups = join(dir.path, 'backups');
    const time = new Date('2026-11-21T02:00:07Z');
    const first = snapshotRegistry(registry, backups, time);
    const second = snapshotRegistry(registry, backups, time);
    expect(first).toBe(join(backups, 'mcp-20261121T020007Z.db'));
    expect(second).toBe(join(backups, 'mcp-20261121T020007Z-1.db'));
    expect(statSync(first).mode & 0o777).toBe(0o600);
    const copy = new Database(first, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT image FROM components').pluck().get()).toBe(WEB.image);
    copy.close();
    expect(existsSync(`${first}-wal`)).toBe(false);
  });
});
