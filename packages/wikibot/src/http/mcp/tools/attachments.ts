import type { ContentBlock } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { decodeBase64 } from '../../shapes/base64.js';
import { attachmentJson } from '../../shapes/present.js';
import {
  formatAttachments,
  formatDeleteAttachment,
  formatDownloadAttachment,
  formatUploadAttachment,
} from '../formatters.js';
import { wikiUri } from '../wikiUri.js';
import { defineTool } from './define.js';
import { AttachmentDeleted, AttachmentDownloaded, AttachmentList, AttachmentUploaded } from './schemas.js';

const path = z.string().describe('Path of the page the attachment belongs to, e.g. "Actors/Iran"');
const filename = z.string().describe('File name, e.g. "chart.png"');
const commitMessage = z.string().default('').describe('Optional commit message.');

export const listAttachments = defineTool({
  name: 'list_attachments',
  access: 'read',
  description: 'List the files attached to a wiki page, with size, MIME type and last change.',
  input: z.object({ path }),
  output: AttachmentList,
  async run(args, session) {
    const { path: pagePath, attachments } = await session.wiki.listAttachments(args.path);
    const structured = {
      path: pagePath,
      attachments: attachments.map(attachmentJson),
      total: attachments.length,
    };
    return { text: formatAttachments(structured), structured };
  },
});

export const uploadAttachment = defineTool({
  name: 'upload_attachment',
  access: 'write',
  description: `Attach a file to an existing wiki page (replacing a file of the same name). Max 10 MB.

Args:
    path: Page path, e.g. "Actors/Iran"
    filename: File name, e.g. "chart.png"
    content: The file's bytes, base64-encoded
    commit_message: Optional commit message.`,
  input: z.object({
    path,
    filename,
    content: z.string().describe("The file's bytes, base64-encoded"),
    commit_message: commitMessage,
  }),
  output: AttachmentUploaded,
  async run(args, session) {
    const bytes = decodeBase64(args.content, 'content');
    const result = await session.wiki.uploadAttachment(
      args.path,
      args.filename,
      bytes,
      session.change(args.commit_message),
    );
    const structured = {
      filename: result.filename,
      path: result.path,
      size: result.size,
      mime_type: result.mimeType,
      revision: result.revision,
    };
    return { text: formatUploadAttachment(structured), structured };
  },
});

export const downloadAttachment = defineTool({
  name: 'download_attachment',
  access: 'read',
  description:
    'Download a file attached to a wiki page. Returns its metadata and the file itself, base64-encoded (in the text and the structured result; an image or embedded resource follows the text).',
  input: z.object({ path, filename }),
  output: AttachmentDownloaded,
  async run(args, session) {
    const file = await session.wiki.readAttachment(args.path, args.filename);
    const content = file.content.toString('base64');
    const structured = {
      filename: file.filename,
      path: args.path,
      size: file.size,
      mime_type: file.mimeType,
      content,
    };
    const uri = wikiUri(session.wiki.slug, `${args.path}/${file.filename}`);
    const block: ContentBlock = file.mimeType.startsWith('image/')
      ? { type: 'image', data: content, mimeType: file.mimeType }
      : { type: 'resource', resource: { uri, mimeType: file.mimeType, blob: content } };
    return { text: formatDownloadAttachment(structured), structured, extra: [block] };
  },
});

export const deleteAttachment = defineTool({
  name: 'delete_attachment',
  access: 'write',
  destructive: true,
  description: `Delete a file attached to a wiki page. It can only be recovered through git history.

Args:
    path: Page path, e.g. "Actors/Iran"
    filename: File name, e.g. "chart.png"
    commit_message: Optional commit message.`,
  input: z.object({ path, filename, commit_message: commitMessage }),
  output: AttachmentDeleted,
  async run(args, session) {
    const result = await session.wiki.deleteAttachment(
      args.path,
      args.filename,
      session.change(args.commit_message),
    );
    const structured = { deleted: true as const, filename: result.filename, path: args.path };
    return { text: formatDeleteAttachment(structured), structured };
  },
});
