/**
 * The typed errors of the wiki service. Every front door maps them once: HTTP status + {"error"},
 * MCP isError text, or an HTML page.
 */
export class WikiError extends Error {
  override readonly name: string = 'WikiError';
}

export class NotFound extends WikiError {
  override readonly name = 'NotFound';
}

export class Conflict extends WikiError {
  override readonly name = 'Conflict';
  constructor(
    message: string,
    readonly currentRevision?: string,
  ) {
    super(message);
  }
}

/** An edit based on an older revision whose changes overlap the ones saved since: `merged` marks both. */
export class EditConflict extends Conflict {
  constructor(
    message: string,
    override readonly currentRevision: string,
    readonly merged: string,
  ) {
    super(message, currentRevision);
  }
}

/** Bad input: a rule of the request was broken. The message names the rule. */
export class Invalid extends WikiError {
  override readonly name = 'Invalid';
}

export class Forbidden extends WikiError {
  override readonly name = 'Forbidden';
}

export class TooLarge extends WikiError {
  override readonly name = 'TooLarge';
}

export class RateLimited extends WikiError {
  override readonly name = 'RateLimited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A capability this deployment cannot offer right now (e.g. no embedding model); the message says why. */
export class Unavailable extends WikiError {
  override readonly name = 'Unavailable';
}

/** Heavy work stopped at its deadline (or its memory limit): it would be stopped again if retried now. */
export class WorkStopped extends Unavailable {}
