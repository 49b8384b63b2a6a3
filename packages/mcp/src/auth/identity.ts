/** Who is calling, as the identity service says. */
export interface Identity {
  username: string;
  roles: string[];
  accountType: string;
}

export type Verdict = { valid: true; identity: Identity } | { valid: false; reason: string };

/** Checks a bearer token with an identity service. Throws IdentityUnavailableError when it cannot tell. */
export interface TokenVerifier {
  verify(token: string): Promise<Verdict>;
}

/** The identity service could not be reached or answered nonsense: callers must fail closed. */
export class IdentityUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityUnavailableError';
  }
}
