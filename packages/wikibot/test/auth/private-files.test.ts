import { chmod, mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openPlatformStore } from '../../src/platform/store.js';
import { openServices } from '../../src/services.js';
import { removeDir } from '../support/server.js';

let root: string;
const mode = async (path: string) => (await stat(path)).mode & 0o777;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wikibot-private-'));
});
afterAll(async () => {
  await removeDir(root);
});

describe('the data directory and platform.sqlite (keys, password hashes)', () => {
  it('are created readable by this user only (0700 / 0600, the WAL too)', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const services = await openServices(
      loadConfig({ env: { WIKIBOT_DATA: dataDir } }),
      pino({ level: 'silent' }),
    );
    try {
      await services.auth.users.create({ username: 'kim', password: 'kim-password-123' });
      expect(await mode(dataDir)).toBe(0o700);
      expect(await mode(join(dataDir, 'platform.sqlite'))).toBe(0o600);
      expect(await mode(join(dataDir, 'platform.sqlite-wal'))).toBe(0o600);
    } finally {
      await services.close();
    }
  });

  it('are tightened when they already exist with wider permissions, with a warning naming them', async () => {
    const dataDir = join(root, 'old');
    const file = join(dataDir, 'platform.sqlite');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    await writeFile(file, '');
    await chmod(file, 0o644);
    const warnings: string[] = [];
    const db = await openPlatformStore({ kind: 'sqlite', file }, (message) => warnings.push(message));
    await db.destroy();
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(file)).toBe(0o600);
    expect(warnings.join('\n')).toContain(`${dataDir} was readable by others (mode 0755); changed to 0700`);
    expect(warnings.join('\n')).toContain(`${file} was readable by others (mode 0644); changed to 0600`);
  });
});
