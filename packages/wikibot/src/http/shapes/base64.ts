import { Invalid } from '../../wiki/errors.js';

/** Strict base64 (standard alphabet, padding optional): anything else is refused, never half-decoded. */
export function decodeBase64(text: string, field: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new Invalid(`${field} must be valid base64`);
  }
  return Buffer.from(compact, 'base64');
}
