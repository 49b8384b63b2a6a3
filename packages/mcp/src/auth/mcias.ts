import { jsonObject, postJson } from './http-json.js';
import { IdentityUnavailableError, type TokenVerifier, type Verdict } from './identity.js';

function asStringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** MCIAS-compatible validation: `POST <server_url>/v1/token/validate {"token"}` → `{valid, username, roles, account_type}`. */
export class MciasVerifier implements TokenVerifier {
  constructor(
    private readonly serverUrl: string,
    private readonly options: { ca?: string | Buffer | undefined; timeoutMs?: number } = {},
  ) {}

  async verify(token: string): Promise<Verdict> {
    const url = new URL('v1/token/validate', withSlash(this.serverUrl)).toString();
    let response: Awaited<ReturnType<typeof postJson>>;
    try {
      response = await postJson(url, { token }, this.options);
    } catch (error) {
      throw new IdentityUnavailableError(`identity service unreachable: ${(error as Error).message}`);
    }
    const body = jsonObject(response.body);
    if (
      response.status === 401 ||
      response.status === 403 ||
      (response.status === 200 && body.valid === false)
    ) {
      return { valid: false, reason: 'token rejected by the identity service' };
    }
    if (response.status !== 200 || body.valid !== true || typeof body.username !== 'string') {
      throw new IdentityUnavailableError(`identity service answered ${response.status} without a verdict`);
    }
    return {
      valid: true,
      identity: {
        username: body.username,
        roles: asStringList(body.roles),
        accountType: typeof body.account_type === 'string' ? body.account_type : '',
      },
    };
  }
}

export interface LoginRequest {
  username: string;
  password: string;
  serviceName: string;
  tags: string[];
}

/** `POST <server_url>/v1/auth/login {username, password, service_name, tags}` → the token. */
export async function mciasLogin(
  serverUrl: string,
  request: LoginRequest,
  options: { ca?: string | Buffer | undefined; timeoutMs?: number } = {},
): Promise<{ token: string; expiresAt: string | undefined }> {
  const url = new URL('v1/auth/login', withSlash(serverUrl)).toString();
  const response = await postJson(
    url,
    {
      username: request.username,
      password: request.password,
      service_name: request.serviceName,
      tags: request.tags,
    },
    options,
  );
  const body = jsonObject(response.body);
  if (response.status !== 200 || typeof body.token !== 'string' || body.token === '') {
    const reason = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    throw new Error(`login failed: ${reason}`);
  }
  return { token: body.token, expiresAt: typeof body.expires_at === 'string' ? body.expires_at : undefined };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
