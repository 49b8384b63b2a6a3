import { createHash } from 'node:crypto';

/** The id git gives a blob with this content (`git hash-object`), computed in-process. */
export function blobId(content: Buffer | string): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
