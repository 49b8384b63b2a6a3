import { GitInputError } from './errors.js';
import type { CommitInfo, Signature } from './types.js';
import { hasControlCharacter } from './validation.js';

const MAX_IDENTITY_CHARS = 256;

/** A name and email git can record unambiguously: no control characters, no `<` or `>`. */
export function checkSignature(signature: Signature, role: 'author' | 'committer'): Signature {
  const fail = (rule: string): never => {
    throw new GitInputError(`invalid ${role}: ${rule}`);
  };
  const check = (field: 'name' | 'email'): string => {
    const value: unknown = signature?.[field];
    if (typeof value !== 'string') return fail(`the ${field} is not a string`);
    if (hasControlCharacter(value)) fail(`the ${field} contains a control character (e.g. a newline)`);
    if (/[<>]/.test(value)) fail(`the ${field} contains "<" or ">"`);
    if (value.length > MAX_IDENTITY_CHARS) fail(`the ${field} is too long (over ${MAX_IDENTITY_CHARS})`);
    return value.trim();
  };
  const name = check('name');
  const email = check('email');
  if (name === '') fail('the name is empty');
  return { name, email };
}

/** The message as stored: leading blank lines and trailing whitespace removed, one final newline. */
export function normalizeMessage(message: string): string {
  if (typeof message !== 'string') throw new GitInputError('invalid commit message: not a string');
  if (message.includes('\0')) throw new GitInputError('invalid commit message: it contains a NUL byte');
  const text = message.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
  if (text === '') throw new GitInputError('invalid commit message: it is empty');
  return `${text}\n`;
}

/** `<seconds> <+hhmm>` for `date`, in the offset the server's time zone has at that date. */
export function gitTimestamp(date: Date): string {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(time)) throw new GitInputError('invalid commit date: not a valid Date');
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  return `${Math.floor(time / 1000)} ${zone}`;
}

/** ISO 8601 with offset, as `git log --format=%aI` prints it: `2024-05-01T12:00:00+02:00`. */
export function isoDate(seconds: number, zone: string): string {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(zone);
  const sign = match?.[1] === '-' ? -1 : 1;
  const hours = match?.[2] ?? '00';
  const minutes = match?.[3] ?? '00';
  const offsetSeconds = sign * (Number(hours) * 3600 + Number(minutes) * 60);
  const local = new Date((seconds + offsetSeconds) * 1000).toISOString().slice(0, 19);
  return `${local}${sign < 0 ? '-' : '+'}${hours}:${minutes}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export interface CommitFields {
  tree: string;
  parent: string | null;
  author: Signature;
  authorDate: Date;
  committer: Signature;
  committerDate: Date;
  /** already normalized */
  message: string;
}

/** The raw commit object, byte for byte what `git commit-tree` writes for these fields. */
export function formatCommit(fields: CommitFields): Buffer {
  const lines = [`tree ${fields.tree}`];
  if (fields.parent) lines.push(`parent ${fields.parent}`);
  lines.push(`author ${fields.author.name} <${fields.author.email}> ${gitTimestamp(fields.authorDate)}`);
  lines.push(
    `committer ${fields.committer.name} <${fields.committer.email}> ${gitTimestamp(fields.committerDate)}`,
  );
  return Buffer.from(`${lines.join('\n')}\n\n${fields.message}`, 'utf8');
}

export interface ParsedCommit extends CommitInfo {
  tree: string;
  parents: string[];
}

/** Parses a raw commit object (as `cat-file` returns it). */
export function parseCommit(sha: string, content: Buffer): ParsedCommit {
  const text = content.toString('utf8');
  const headerEnd = text.indexOf('\n\n');
  const header = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const message = headerEnd < 0 ? '' : text.slice(headerEnd + 2);
  let tree = '';
  const parents: string[] = [];
  let author = '';
  for (const line of header.split('\n')) {
    if (line.startsWith(' ')) continue; // continuation of a multi-line header (gpgsig)
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = value;
  }
  const ident = parseIdent(author);
  return {
    sha,
    tree,
    parents,
    authorName: ident.name,
    authorEmail: ident.email,
    date: isoDate(ident.seconds, ident.zone),
    message: message.replace(/\n+$/, ''),
  };
}

/** `Name <email> <seconds> <zone>`, read the way git does: the email runs from the first `<` to `>`. */
function parseIdent(ident: string): { name: string; email: string; seconds: number; zone: string } {
  const open = ident.indexOf('<');
  const close = ident.indexOf('>', open + 1);
  if (open < 0 || close < 0) return { name: ident.trim(), email: '', seconds: 0, zone: '+0000' };
  const [seconds, zone] = ident
    .slice(close + 1)
    .trim()
    .split(' ');
  return {
    name: ident.slice(0, open).trim(),
    email: ident.slice(open + 1, close),
    seconds: Number(seconds) || 0,
    zone: zone ?? '+0000',
  };
}
