import type { Role } from '../../../src/platform/members.js';
import type { TestServer } from '../../support/server.js';
import type { Person } from './oauthClient.js';

/** Create an account with a password and roles on wikis; returns how the person signs in. */
export async function createPerson(
  server: TestServer,
  username: string,
  roles: Record<string, Role> = {},
  options: { admin?: boolean } = {},
): Promise<Person & { id: string }> {
  const password = `${username}-correct-horse-battery`;
  const user = await server.services.auth.users.create({ username, password, isAdmin: !!options.admin });
  for (const [wiki, role] of Object.entries(roles))
    await server.services.auth.members.grant(wiki, user.id, role);
  return { login: username, password, id: user.id };
}
