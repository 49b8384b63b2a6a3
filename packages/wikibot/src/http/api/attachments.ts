import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { decodeBase64 } from '../shapes/base64.js';
import { attachmentJson } from '../shapes/present.js';
import { changeOptions } from './pages.js';
import { jsonBody } from './request.js';
import { DeleteBody, UploadBody } from './schemas.js';

type C = Context<AppEnv>;

export async function listAttachments(c: C, path: string) {
  const { path: pagePath, attachments } = await c.get('wiki').listAttachments(path);
  return c.json({ attachments: attachments.map(attachmentJson), total: attachments.length, path: pagePath });
}

export async function uploadAttachment(c: C, path: string) {
  const body = await jsonBody(c, UploadBody);
  const content = decodeBase64(body.content, 'content');
  const result = await c
    .get('wiki')
    .uploadAttachment(path, body.filename, content, changeOptions(c, body.commit_message));
  return c.json(
    { filename: result.filename, path: result.path, size: result.size, mime_type: result.mimeType },
    201,
  );
}

/** JSON with base64 content by default; the raw bytes when the client asks for something other than JSON. */
export async function downloadAttachment(c: C, path: string, filename: string) {
  const file = await c.get('wiki').readAttachment(path, filename);
  const accept = c.req.header('accept') ?? '';
  const wantsJson = accept === '' || /application\/json|\*\/\*/.test(accept);
  if (wantsJson) {
    return c.json({
      filename: file.filename,
      content: file.content.toString('base64'),
      size: file.size,
      mime_type: file.mimeType,
    });
  }
  c.header('Content-Type', file.mimeType);
  c.header('Content-Length', String(file.size));
  c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(new Uint8Array(file.content));
}

export async function deleteAttachment(c: C, path: string, filename: string) {
  const body = await jsonBody(c, DeleteBody);
  const result = await c.get('wiki').deleteAttachment(path, filename, changeOptions(c, body.commit_message));
  return c.json({ deleted: true, filename: result.filename });
}
