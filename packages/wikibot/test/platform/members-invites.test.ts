import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, type Platform } from '../../src/platform/service/index.js';
import { removeDir } from '../support/server.js';
import { openBench, type PlatformBench } from './support.js';

const DAY_MS = 86_400_000;
let bench: PlatformBench;
let platform: Platform;

beforeAll(async () => {
  bench = await openBench();
  platform = bench.platform({ signup: 'invite-only', invite_days: 7 });
});
afterAll(async () => {
  await bench.services.close();
  await removeDir(bench.dataDir);
});

const roleOf = async (wiki: string, username: string) => {
  const member = (await bench.services.auth.members.list(wiki)).find((m) => m.username === username);
  return member?.role ?? null;
};

describe('Platform.members', () => {
  it('keeps at least one owner, whoever asks (the operator, as the CLI does, included)', async () => {
    const { caller: olga } = await bench.person('olga');
    await bench.person('pat');
    await platform.wikis.create(olga, { slug: 'team' });
    for (const caller of [olga, OPERATOR]) {
      await expect(platform.members.remove(caller, 'team', 'olga')).rejects.toThrow(
        'A wiki needs at least one owner',
      );
      await expect(platform.members.set(caller, 'team', 'olga', 'editor')).rejects.toThrow(
        'A wiki needs at least one owner',
      );
    }
    expect(await roleOf('team', 'olga')).toBe('owner');
    await platform.members.set(olga, 'team', 'pat', 'owner');
    await platform.members.set(olga, 'team', 'olga', 'viewer');
    expect(await roleOf('team', 'olga')).toBe('viewer');
    await expect(platform.members.set(olga, 'team', 'olga', 'owner')).rejects.toThrow('needs the owner role');
    await expect(platform.members.set(OPERATOR, 'team', 'nobody', 'editor')).rejects.toThrow(
      'No account is called nobody',
    );
  });

  it('lets only one of two owners demoting each other at once succeed', async () => {
    const { caller: quinn } = await bench.person('quinn');
    const { caller: ray } = await bench.person('ray');
    await platform.wikis.create(quinn, { slug: 'duo', template: 'empty' });
    await platform.members.set(quinn, 'duo', 'ray', 'owner');
    const results = await Promise.allSettled([
      platform.members.set(quinn, 'duo', 'quinn', 'editor'),
      platform.members.set(ray, 'duo', 'ray', 'editor'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const owners = (await bench.services.auth.members.list('duo')).filter((m) => m.role === 'owner');
    expect(owners).toHaveLength(1);
  });
});

describe('Platform.invites', () => {
  it('makes single-use links with a role and expiry, stored only as a hash', async () => {
    const { caller: sam } = await bench.person('sam');
    const { caller: tia } = await bench.person('tia');
    await platform.wikis.create(sam, { slug: 'club', template: 'empty' });
    const made = await platform.invites.create(sam, 'club', { role: 'editor' });
    expect(made.token).toMatch(/^wbi_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(made.path).toBe(`/-/invites/${made.token}`);
    expect(Date.parse(made.invite.expiresAt) - bench.clock.now.getTime()).toBe(7 * DAY_MS);
    const rows = await bench.services.db.selectFrom('invites').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(made.token.slice(21));

    await expect(platform.invites.create(tia, 'club', { role: 'viewer' })).rejects.toThrow(
      'Wiki not found: club',
    );
    expect(await platform.invites.peek(made.token)).toMatchObject({ role: 'editor', wiki: { slug: 'club' } });

    const accepted = await platform.invites.accept(made.token, { caller: tia });
    expect(accepted).toMatchObject({ role: 'editor', wiki: { slug: 'club' }, user: { username: 'tia' } });
    expect(await roleOf('club', 'tia')).toBe('editor');
    await expect(platform.invites.accept(made.token, { caller: sam })).rejects.toThrow('already been used');
    expect((await platform.invites.list(sam, 'club')).map((i) => [i.state, i.acceptedBy])).toEqual([
      ['accepted', accepted.user.id],
    ]);
    await expect(platform.invites.list(tia, 'club')).rejects.toThrow('needs the owner role');

    const forged = `${made.token.slice(0, 21)}${'A'.repeat(43)}`;
    await expect(platform.invites.accept(forged, { caller: tia })).rejects.toThrow('No such invitation');
    await expect(platform.invites.accept('wbi_nonsense', { caller: tia })).rejects.toThrow(
      'No such invitation',
    );
  });

  it('refuses expired and revoked invitations, and never lowers a role', async () => {
    const { caller: uma } = await bench.person('uma');
    const { caller: vic } = await bench.person('vic');
    await platform.wikis.create(uma, { slug: 'lab', template: 'empty' });
    const short = await platform.invites.create(uma, 'lab', { role: 'viewer', expiresInDays: 1 });
    const revoked = await platform.invites.create(uma, 'lab', { role: 'viewer' });
    await platform.invites.revoke(uma, 'lab', revoked.invite.id);
    await expect(platform.invites.revoke(uma, 'lab', revoked.invite.id)).rejects.toThrow(
      'No pending invitation',
    );
    await expect(platform.invites.accept(revoked.token, { caller: vic })).rejects.toThrow('was revoked');
    bench.clock.now = new Date(bench.clock.now.getTime() + DAY_MS + 1000);
    await expect(platform.invites.accept(short.token, { caller: vic })).rejects.toThrow('expired');
    expect(await roleOf('lab', 'vic')).toBeNull();
    await expect(platform.invites.create(uma, 'lab', { role: 'viewer', expiresInDays: 0 })).rejects.toThrow(
      '1 to 365 days',
    );

    const toOwner = await platform.invites.create(uma, 'lab', { role: 'viewer' });
    const kept = await platform.invites.accept(toOwner.token, { caller: uma });
    expect(kept.role).toBe('owner');
    expect(await roleOf('lab', 'uma')).toBe('owner');
  });

  it('makes an account for a taker without one as the sign-up policy allows', async () => {
    const { caller: wes } = await bench.person('wes');
    await platform.wikis.create(wes, { slug: 'open-house', template: 'empty' });
    const newcomer = { username: 'xena', password: 'xena-password-1', email: 'xena@example.org' };

    const closed = bench.platform({ signup: 'closed' });
    const first = await platform.invites.create(wes, 'open-house', { role: 'editor' });
    await expect(closed.invites.accept(first.token, { newAccount: newcomer })).rejects.toThrow(
      'Sign-up is closed',
    );
    await expect(
      bench.platform({ signup: 'sso' }).invites.accept(first.token, { newAccount: newcomer }),
    ).rejects.toThrow('signing in with the configured provider');
    await expect(
      bench
        .platform({ signup: 'invite-only', signup_email_domains: ['corp.example'] })
        .invites.accept(first.token, { newAccount: newcomer }),
    ).rejects.toThrow('New accounts need an e-mail address at corp.example');
    expect(await bench.services.auth.users.byUsername('xena')).toBeUndefined();

    const joined = await platform.invites.accept(first.token, { newAccount: newcomer });
    expect(joined).toMatchObject({ role: 'editor', user: { username: 'xena', email: 'xena@example.org' } });
    expect(await bench.services.auth.users.checkPassword('xena', 'xena-password-1')).not.toBeNull();

    // A taken username leaves the invitation unused; of two takers at once, one gets it.
    const second = await platform.invites.create(wes, 'open-house', { role: 'viewer' });
    await expect(
      platform.invites.accept(second.token, {
        newAccount: { username: 'xena', password: 'another-password-1' },
      }),
    ).rejects.toThrow('User already exists');
    const racers = await Promise.allSettled(
      ['yan', 'zed'].map((username) =>
        platform.invites.accept(second.token, {
          newAccount: { username, password: `${username}-password-1` },
        }),
      ),
    );
    expect(racers.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const accounts = (await bench.services.auth.users.list()).map((u) => u.username);
    expect(accounts.filter((name) => name === 'yan' || name === 'zed')).toHaveLength(1);
  });
});
