import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from '../../src/auth/passwords.js';
import { SessionStore } from '../../src/auth/sessions.js';
import { addressGroup, type Backoff, Throttle } from '../../src/auth/throttle.js';
import { MemberStore } from '../../src/platform/members.js';
import type { PlatformDb } from '../../src/platform/store.js';
import { UserStore } from '../../src/platform/users.js';
import { removeDir } from '../support/server.js';
import { freshDataDir, openTestStore } from '../support/store.js';

let dir: string;
let db: PlatformDb;
let users: UserStore;
let members: MemberStore;

beforeAll(async () => {
  dir = await freshDataDir('wikibot-stores-');
  db = await openTestStore(dir);
  users = new UserStore(db);
  members = new MemberStore(db);
  await db
    .insertInto('wikis')
    .values({ slug: 'w', title: 'W', is_public: 0, created_at: new Date().toISOString() })
    .execute();
});
afterAll(async () => {
  await db.destroy();
  await removeDir(dir);
});

describe('passwords', () => {
  it('hashes with scrypt and a random salt; verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999999$8$1$aa$bb')).toBe(false);
  });

  it('generates 20-character passwords without look-alike characters', () => {
    const seen = new Set(Array.from({ length: 50 }, generatePassword));
    expect(seen.size).toBe(50);
    for (const p of seen) expect(p).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{20}$/);
  });
});

describe('accounts', () => {
  it('normalises usernames and e-mail, refuses duplicates and keeps no password in clear', async () => {
    const user = await users.create({
      username: '  Ada.L ',
      email: 'ADA@Example.org',
      password: 'ada-password-1',
    });
    expect(user).toMatchObject({
      username: 'ada.l',
      email: 'ada@example.org',
      displayName: 'ada.l',
      hasPassword: true,
    });
    await expect(users.create({ username: 'ada.l' })).rejects.toThrow('User already exists');
    await expect(users.create({ username: 'other', email: 'ada@example.org' })).rejects.toThrow(
      'already uses',
    );
    await expect(users.create({ username: '-bad' })).rejects.toThrow('Invalid username');
    const row = await db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain('ada-password-1');
    expect((await users.checkPassword('ADA@example.org', 'ada-password-1'))?.id).toBe(user.id);
  });

  it('does not let a disabled account sign in, and ends its sessions', async () => {
    const user = await users.create({ username: 'bea', password: 'bea-password-1' });
    const sessions = new SessionStore(db, 60_000);
    const { cookieValue } = await sessions.create(user.id);
    await users.setDisabled(user.id, true);
    expect(await users.checkPassword('bea', 'bea-password-1')).toBeNull();
    expect(await sessions.find(cookieValue)).toBeNull();
  });

  it('provisions one account per external identity, with a unique username from the hints', async () => {
    await users.create({ username: 'cy' });
    const first = await users.provision({
      issuer: 'https://idp.example',
      subject: 's-1',
      username: 'Cy',
      email: 'cy@idp.example',
    });
    expect(first.username).toBe('cy-2');
    const again = await users.provision({
      issuer: 'https://idp.example',
      subject: 's-1',
      username: 'whatever',
    });
    expect(again.id).toBe(first.id);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () =>
        users.provision({ issuer: 'https://idp.example', subject: 's-2', username: 'dee' }),
      ),
    );
    expect(new Set(concurrent.map((u) => u.id)).size).toBe(1);
    expect((await users.list()).filter((u) => u.username.startsWith('dee'))).toHaveLength(1);
  });
});

describe('roles', () => {
  it('keeps one role per wiki and user, replaced on grant, gone on revoke or when the user goes', async () => {
    const user = await users.create({ username: 'eve' });
    expect(await members.roleOf('w', user.id)).toBeNull();
    await members.grant('w', user.id, 'viewer');
    await members.grant('w', user.id, 'owner');
    expect(await members.roleOf('w', user.id)).toBe('owner');
    expect(await members.list('w')).toEqual([expect.objectContaining({ username: 'eve', role: 'owner' })]);
    expect(await members.wikisOf(user.id)).toEqual([{ wiki: 'w', role: 'owner' }]);
    await members.revoke('w', user.id);
    expect(await members.roleOf('w', user.id)).toBeNull();
    await expect(members.grant('missing', user.id, 'viewer')).rejects.toThrow('Wiki not found');
  });
});

describe('sessions', () => {
  it('store only a hash of the cookie value and expire', async () => {
    const user = await users.create({ username: 'fay' });
    const sessions = new SessionStore(db, 1_000);
    const { cookieValue, session } = await sessions.create(user.id);
    expect(await sessions.find(cookieValue)).toEqual(session);
    const rows = await db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.some((r) => r.id_hash === cookieValue)).toBe(false);
    expect(await sessions.find('forged')).toBeNull();
    vi.useFakeTimers({ now: Date.now() + 2_000, toFake: ['Date'] });
    try {
      expect(await sessions.find(cookieValue)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('throttle', () => {
  const policy: Backoff = { free: 3, firstWaitMs: 10_000, maxWaitMs: 60_000, forgetAfterMs: 3_600_000 };

  it('lets the free tries through, then waits twice as long after every further try, up to the longest wait', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    try {
      const throttle = new Throttle(db);
      for (let i = 0; i < 3; i++) expect(await throttle.take('t:gus', policy)).toBe(0);
      expect(await throttle.take('t:gus', policy)).toBe(10);
      expect(await throttle.take('t:hal', policy)).toBe(0);
      vi.setSystemTime(1_000_000 + 4_000);
      expect(await throttle.take('t:gus', policy)).toBe(6);
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) {
        vi.setSystemTime(Date.now() + 60_000);
        expect(await throttle.take('t:gus', policy)).toBe(0);
        waits.push(await throttle.take('t:gus', policy));
      }
      expect(waits).toEqual([20, 40, 60, 60, 60]);
      // Another process on the same store sees the same counts.
      expect(await new Throttle(db).take('t:gus', policy)).toBe(60);
      await throttle.giveBack('t:gus');
      await throttle.clear('t:gus');
      expect(await throttle.take('t:gus', policy)).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets tries after the quiet period, and a try given back does not count', async () => {
    vi.useFakeTimers({ now: 5_000_000, toFake: ['Date'] });
    try {
      const throttle = new Throttle(db);
      for (let i = 0; i < 3; i++) expect(await throttle.take('t:ivy', policy)).toBe(0);
      await throttle.giveBack('t:ivy');
      expect(await throttle.take('t:ivy', policy)).toBe(0);
      expect(await throttle.take('t:ivy', policy)).toBe(10);
      vi.setSystemTime(5_000_000 + 3_600_001);
      expect(await throttle.take('t:ivy', policy)).toBe(0);
      expect(await throttle.take('t:ivy', policy)).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets exactly the free tries through when many come at once, from two processes', async () => {
    const [one, two] = [new Throttle(db), new Throttle(db)];
    const waits = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).take('t:burst', policy)),
    );
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
  });

  it('groups IPv6 clients by /64 and keeps IPv4 addresses whole', () => {
    expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('192.0.2.7')).toBe('192.0.2.7');
  });
});
