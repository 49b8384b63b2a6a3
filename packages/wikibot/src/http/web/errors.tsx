import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { toHttpError } from '../errors.js';
import type { WebContext, WebDeps } from './env.js';
import { wantsJson } from './request.js';
import { platformChrome } from './viewer.js';
import { MessagePage } from './views/message.js';

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad request',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  422: 'That did not work',
  429: 'Slow down',
  503: 'Unavailable',
};

/**
 * The web door's mapping of errors: the same statuses and messages as every door (http/errors.ts),
 * as an HTML page, or as `{"error"}` for the editor's own requests.
 */
export function webErrorResponse(deps: WebDeps, error: unknown, c: WebContext): Response | Promise<Response> {
  const mapped = toHttpError(error);
  if (!mapped) deps.logger.error({ err: error, path: new URL(c.req.url).pathname }, 'unhandled error');
  const status: ContentfulStatusCode = mapped?.status ?? 500;
  const message = mapped?.body.error ?? 'Something went wrong on our side. It has been logged.';
  for (const [name, value] of Object.entries(mapped?.headers ?? {})) c.header(name, value);
  if (wantsJson(c)) return c.json({ error: message }, status);
  return errorPage(deps, c, status, message);
}

export function errorPage(deps: WebDeps, c: WebContext, status: ContentfulStatusCode, message: string) {
  const chrome = platformChrome(c, deps);
  const access = c.get('access');
  if (access) {
    const { record, can } = access;
    chrome.wiki = { slug: record.slug, title: record.title, isPublic: record.isPublic, can };
  }
  return c.html(
    <MessagePage chrome={chrome} title={TITLES[status] ?? 'Error'}>
      <p class="flash error" role="alert">
        {message}
      </p>
      <p>
        <a href={chrome.wiki ? `/w/${chrome.wiki.slug}/` : '/'}>Back to the start page</a>
      </p>
    </MessagePage>,
    status,
  );
}
