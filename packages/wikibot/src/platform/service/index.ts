import { Accounts } from './accounts.js';
import { PlatformContext, type PlatformDeps } from './context.js';
import { Invites } from './invites.js';
import { Members } from './members.js';
import { Tokens } from './tokens.js';
import { Wikis } from './wikis.js';

export type { AccountChanges } from './accounts.js';
export { type Caller, callerFor, callerOf, OPERATOR } from './caller.js';
export type { PlatformDeps } from './context.js';
export { INVITE_PATH, type Invite, type Taker } from './invites.js';
export type { NewToken } from './tokens.js';
export type { MyWiki, NewWiki, WikiChanges } from './wikis.js';

/**
 * The platform service: every use case about wikis, members, invitations, accounts and API tokens,
 * with its rules, for every door (CLI, REST, web). Each method takes the {@link Caller} and checks
 * what it may do (role on the wiki, platform admin, the credential's scopes and wikis); errors are the
 * wiki service's typed errors (NotFound, Conflict, Invalid, Forbidden), so each door maps them once.
 */
export class Platform {
  readonly wikis: Wikis;
  readonly members: Members;
  readonly invites: Invites;
  readonly accounts: Accounts;
  readonly tokens: Tokens;

  constructor(deps: PlatformDeps) {
    const ctx = new PlatformContext(deps);
    this.wikis = new Wikis(ctx);
    this.members = new Members(ctx);
    this.invites = new Invites(ctx);
    this.accounts = new Accounts(ctx);
    this.tokens = new Tokens(ctx);
  }
}
