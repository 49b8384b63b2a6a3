import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  RateLimited,
  TooLarge,
  Unavailable,
} from '../wiki/errors.js';

export interface HttpError {
  status: ContentfulStatusCode;
  body: { error: string; current_revision?: string };
  headers?: Record<string, string>;
}

/** The one mapping from the wiki service's typed errors (and HTTPException) to HTTP. Anything else is a 500 we log. */
export function toHttpError(error: unknown): HttpError | null {
  if (error instanceof NotFound) return { status: 404, body: { error: error.message } };
  if (error instanceof Conflict) {
    return {
      status: 409,
      body: error.currentRevision
        ? { error: error.message, current_revision: error.currentRevision }
        : { error: error.message },
    };
  }
  if (error instanceof Invalid) return { status: 422, body: { error: error.message } };
  if (error instanceof Forbidden) return { status: 403, body: { error: error.message } };
  if (error instanceof TooLarge) return { status: 413, body: { error: error.message } };
  if (error instanceof Unavailable) return { status: 503, body: { error: error.message } };
  if (error instanceof RateLimited) {
    return {
      status: 429,
      body: { error: error.message },
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  // Raised by the HTTP layer itself (e.g. a malformed form body): its status and message stand.
  if (error instanceof HTTPException)
    return { status: error.status as ContentfulStatusCode, body: { error: error.message } };
  return null;
}
