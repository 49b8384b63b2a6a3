import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

export type FormFields = Record<string, string | File | (string | File)[]>;

/**
 * The fields of a urlencoded or multipart body (parsed once per request; later calls reuse it). A
 * body that does not parse as its Content-Type says is the client's mistake: 400 naming it.
 */
export async function readForm(c: Context): Promise<FormFields> {
  try {
    return await c.req.parseBody({ all: true });
  } catch (error) {
    // The platform's FormData parser reports malformed input as a TypeError; anything else (a body
    // over the size limit, a dropped connection) keeps its own handling.
    if (!(error instanceof TypeError)) throw error;
    throw new HTTPException(400, { message: malformedFormMessage(c.req.header('content-type') ?? '') });
  }
}

function malformedFormMessage(contentType: string): string {
  if (/^multipart\//i.test(contentType)) {
    const boundary = /;\s*boundary="?([^";]*)"?/i.exec(contentType)?.[1]?.trim();
    if (!boundary) return 'Malformed request body: multipart/form-data needs a non-empty boundary parameter';
    return 'Malformed request body: the multipart/form-data parts do not match the boundary given in Content-Type';
  }
  return `Malformed request body: it could not be read as ${contentType.split(';')[0] || 'a form'}`;
}
