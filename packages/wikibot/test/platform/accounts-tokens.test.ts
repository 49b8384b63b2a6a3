import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, type Platform } from '../../src/platform/service/index.js';
import { removeDir } from '../support/server.js';
import { openBench, type PlatformBench } from './support.js';

let bench: PlatformBench;
let platform: Platform;

beforeAll(async () => {
  bench = await openBench();
  platform = bench.platform();
});
afterAll(async () => {
  await bench.services.close();
  await removeDir(bench.dataDir);
});

describe('sign-up policy', () => {
  const newcomer = (username: string, email?: string) => ({
    username,
    password: `${username}-password-1`,
    ...(email ? { email } : {}),
  });
  const identity = (subject: string, email?: string) => ({
    issuer: 'https://idp.example',
    subject,
    username: subject,
    ...(email ? { email } : {}),
  });

  it('is closed by default: nobody signs up, no upstream sign-in makes an account', async () => {
    expect(bench.services.config.platform.signup).toBe('closed');
    await expect(platform.accounts.signUp(newcomer('ana'))).rejects.toThrow('Sign-up is closed');
    await expect(platform.accounts.signInExternal(identity('ana'))).rejects.toThrow('Sign-up is closed');
    expect(await bench.services.auth.users.byUsername('ana')).toBeUndefined();
  });

  it('open lets anyone sign up, within the e-mail domain allow-list', async () => {
    const open = bench.platform({ signup: 'open', signup_email_domains: ['example.org'] });
    await expect(open.accounts.signUp(newcomer('ben', 'ben@elsewhere.net'))).rejects.toThrow(
      'New accounts need an e-mail address at example.org',
    );
    await expect(open.accounts.signUp(newcomer('ben'))).rejects.toThrow('e-mail address at example.org');
    const ben = await open.accounts.signUp(newcomer('ben', 'Ben@Example.org'));
    expect(ben).toMatchObject({ username: 'ben', email: 'ben@example.org', isAdmin: false });
    await expect(bench.platform({ signup: 'invite-only' }).accounts.signUp(newcomer('cal'))).rejects.toThrow(
      'by invitation only',
    );
  });

  it('sso makes accounts only from upstream sign-ins; a linked identity signs in under any policy', async () => {
    const sso = bench.platform({ signup: 'sso', signup_email_domains: ['example.org'] });
    await expect(sso.accounts.signUp(newcomer('dan'))).rejects.toThrow(
      'signing in with the configured provider',
    );
    await expect(sso.accounts.signInExternal(identity('dan', 'dan@other.net'))).rejects.toThrow(
      'example.org',
    );
    const dan = await sso.accounts.signInExternal(identity('dan', 'dan@example.org'));
    expect(dan.username).toBe('dan');
    expect((await platform.accounts.signInExternal(identity('dan'))).id).toBe(dan.id);
  });
});

describe('Platform.accounts (platform admins)', () => {
  it('lists, creates with a one-time password, disables and resets passwords; others are refused', async () => {
    const { caller: root } = await bench.person('root', { admin: true });
    const { caller: eli } = await bench.person('eli');
    await expect(platform.accounts.list(eli)).rejects.toThrow('Only platform admins');
    await expect(platform.accounts.create(eli, { username: 'x' })).rejects.toThrow('Only platform admins');

    const made = await platform.accounts.create(root, { username: 'fio', email: 'fio@example.org' });
    expect(made.oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(made.user.passwordChangeRequired).toBe(true);
    expect(
      await bench.services.auth.users.checkPassword('fio', made.oneTimePassword as string),
    ).not.toBeNull();
    expect((await platform.accounts.list(root)).map((u) => u.username)).toContain('fio');

    const session = await bench.services.auth.sessions.create(made.user.id);
    const reset = await platform.accounts.update(root, 'fio', { resetPassword: true });
    expect(reset.oneTimePassword).not.toBe(made.oneTimePassword);
    expect(await bench.services.auth.users.checkPassword('fio', made.oneTimePassword as string)).toBeNull();
    expect(await bench.services.auth.sessions.find(session.cookieValue)).toBeNull();

    const disabled = await platform.accounts.update(OPERATOR, made.user.id, { disabled: true });
    expect(disabled.user.disabled).toBe(true);
    expect(await bench.services.auth.users.checkPassword('fio', reset.oneTimePassword as string)).toBeNull();
    await expect(platform.accounts.update(root, 'root', { disabled: true })).rejects.toThrow(
      'You cannot disable your own account',
    );
    await expect(platform.accounts.update(root, 'nobody', { disabled: true })).rejects.toThrow(
      'No account is called nobody',
    );
  });
});

describe('Platform.tokens (mine)', () => {
  it('makes tokens for my account within my roles and my credential, lists and revokes only mine', async () => {
    const { caller: gia } = await bench.person('gia');
    const { caller: hal } = await bench.person('hal');
    await platform.wikis.create(gia, { slug: 'gia-wiki', template: 'empty' });
    await platform.members.set(gia, 'gia-wiki', 'hal', 'viewer');

    const mine = await platform.tokens.createMine(gia, {
      name: 'agent',
      scopes: ['wiki:read', 'wiki:write'],
      wiki: 'gia-wiki',
    });
    expect((await bench.services.tokens.verify(mine.token))?.userId).toBe(gia.userId);
    await expect(
      platform.tokens.createMine(hal, { name: 'x', scopes: ['wiki:write'], wiki: 'gia-wiki' }),
    ).rejects.toThrow('A token cannot have wiki:write');
    const narrow = { ...gia, scopes: new Set(['wiki:read'] as const), wikis: new Set(['gia-wiki']) };
    await expect(
      platform.tokens.createMine(narrow, { name: 'x', scopes: ['wiki:read'], wiki: null }),
    ).rejects.toThrow('for one wiki');
    await expect(
      platform.tokens.createMine(gia, { name: 'x', scopes: ['wiki:read'], wiki: 'missing' }),
    ).rejects.toThrow('Wiki not found: missing');

    expect((await platform.tokens.listMine(gia)).map((t) => t.name)).toEqual(['agent']);
    expect(await platform.tokens.listMine(hal)).toEqual([]);
    await expect(platform.tokens.revokeMine(hal, mine.info.id)).rejects.toThrow('Token not found');
    await platform.tokens.revokeMine(gia, mine.info.id);
    expect(await bench.services.tokens.verify(mine.token)).toBeNull();
    await expect(platform.tokens.listMine(OPERATOR)).rejects.toThrow('the credential has none');
  });
});
