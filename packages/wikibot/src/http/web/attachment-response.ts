import type { AttachmentInfo } from '../../wiki/types.js';

/** Types a browser shows without running anything from them; everything else is downloaded. */
const INLINE_TYPES =
  /^(image\/(png|jpeg|gif|webp|avif|bmp)|application\/pdf|text\/plain|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

/**
 * An attachment's bytes. Stored files are untrusted: HTML, SVG and anything unknown is sent as a
 * download, never sniffed, and sandboxed, so an upload cannot run script on the wiki's origin.
 */
export function serveAttachment(file: AttachmentInfo & { content: Buffer }, download: boolean): Response {
  const inline = !download && INLINE_TYPES.test(file.mimeType);
  const type = file.mimeType.startsWith('text/') ? `${file.mimeType}; charset=utf-8` : file.mimeType;
  return new Response(new Uint8Array(file.content), {
    headers: {
      'content-type': inline ? type : 'application/octet-stream',
      'content-length': String(file.content.length),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${asciiName(file.filename)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy':
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
      'cache-control': 'private, no-cache',
    },
  });
}

function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
