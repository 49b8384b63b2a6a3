import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { PlatformDb } from '../../platform/store.js';

/** Models whose records belong to a grant and die with it. */
const GRANT_BOUND = [
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
];
/** How we remember a revoked JWT access token until it would have expired anyway. */
const REVOKED_ACCESS_TOKEN = 'RevokedAccessToken';

const now = () => Math.floor(Date.now() / 1000);
/** Registered clients: a use moves the expiry of one unused for this long. */
const CLIENT_TOUCH_SECONDS = 86_400;

/**
 * The authorization server's persistent state in the platform store (one table for every model), so
 * grants, codes and refresh tokens survive restarts and are shared by replicas. Also answers the
 * resource servers' question "is this access token still good?".
 */
export class OAuthRecords {
  private lastPurge = 0;

  /** `unusedClientSeconds`: a dynamically registered client not used for this long is forgotten. */
  constructor(
    private readonly db: PlatformDb,
    private readonly unusedClientSeconds = 30 * 86_400,
  ) {}

  /** The oidc-provider storage adapter for one model. */
  adapter(model: string): Adapter {
    return {
      upsert: (id, payload, expiresIn) => this.upsert(model, id, payload, expiresIn),
      find: (id) => (model === 'Client' ? this.findClient(id) : this.find(model, 'id', id)),
      findByUid: (uid) => this.find(model, 'uid', uid),
      findByUserCode: (userCode) => this.find(model, 'user_code', userCode),
      consume: async (id) => {
        await this.db
          .updateTable('oauth_records')
          .set({ consumed_at: now() })
          .where('model', '=', model)
          .where('id', '=', id)
          .execute();
      },
      destroy: async (id) => {
        await this.db.deleteFrom('oauth_records').where('model', '=', model).where('id', '=', id).execute();
      },
      revokeByGrantId: async (grantId) => {
        await this.db
          .deleteFrom('oauth_records')
          .where('grant_id', '=', grantId)
          .where('model', 'in', GRANT_BOUND)
          .execute();
      },
    };
  }

  /** Whether a grant (the consent behind a family of tokens) still stands. */
  async grantAlive(grantId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('oauth_records')
      .select('expires_at')
      .where('model', '=', 'Grant')
      .where('id', '=', grantId)
      .executeTakeFirst();
    return row !== undefined && (row.expires_at === null || row.expires_at > now());
  }

  /** Registered clients stored now (expired ones not counted). */
  async countClients(): Promise<number> {
    const row = await this.db
      .selectFrom('oauth_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('model', '=', 'Client')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now())]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A client, its expiry moved on when a day or more of it has passed (one write a day per client). */
  private async findClient(id: string): Promise<AdapterPayload | undefined> {
    const payload = await this.find('Client', 'id', id);
    if (!payload) return undefined;
    const renewed = now() + this.unusedClientSeconds;
    await this.db
      .updateTable('oauth_records')
      .set({ expires_at: renewed })
      .where('model', '=', 'Client')
      .where('id', '=', id)
      .where('expires_at', '<', renewed - CLIENT_TOUCH_SECONDS)
      .execute();
    return payload;
  }

  async revokeAccessToken(jti: string, expiresAt: number): Promise<void> {
    await this.upsert(REVOKED_ACCESS_TOKEN, jti, {}, Math.max(1, expiresAt - now()));
  }

  async accessTokenRevoked(jti: string): Promise<boolean> {
    return (await this.find(REVOKED_ACCESS_TOKEN, 'id', jti)) !== undefined;
  }

  private async upsert(
    model: string,
    id: string,
    payload: AdapterPayload,
    expiresIn?: number,
  ): Promise<void> {
    const values = {
      payload: JSON.stringify(payload),
      grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
      user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      expires_at:
        typeof expiresIn === 'number'
          ? now() + expiresIn
          : model === 'Client'
            ? now() + this.unusedClientSeconds
            : null,
    };
    await this.db
      .insertInto('oauth_records')
      .values({ model, id, ...values, consumed_at: null })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(values))
      .execute();
    await this.purgeExpired();
  }

  private async find(
    model: string,
    key: 'id' | 'uid' | 'user_code',
    value: string,
  ): Promise<AdapterPayload | undefined> {
    const row = await this.db
      .selectFrom('oauth_records')
      .select(['payload', 'expires_at', 'consumed_at'])
      .where('model', '=', model)
      .where(key, '=', value)
      .executeTakeFirst();
    if (!row || (row.expires_at !== null && row.expires_at <= now())) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
  }

  /** Drop expired records now and then (at most once a minute per process). */
  private async purgeExpired(): Promise<void> {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.db.deleteFrom('oauth_records').where('expires_at', '<=', now()).execute();
  }
}
