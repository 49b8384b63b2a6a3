import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { RenderedBody } from '../../../wiki/types.js';
import type { Chrome } from '../chrome.js';
import { pageActionUrl, pageUrl, uploadUrl, wikiHome } from '../urls.js';
import { CsrfField } from './forms.js';
import { Layout } from './layout.js';

export interface EditProps {
  chrome: Chrome;
  path: string;
  /** Display name of an existing page; null when the page is being created. */
  name: string | null;
  content: string;
  /** The revision the edit is based on ('' for a new page). */
  revision: string;
  message: string;
  /** Server-side preview (for browsers without JavaScript). */
  preview: RenderedBody | null;
  problem: { text: string; compareUrl?: string } | null;
}

const TOOLS: [action: string, label: string, text: string][] = [
  ['bold', 'Bold', 'B'],
  ['italic', 'Italic', 'I'],
  ['strike', 'Strikethrough', 'S'],
  ['mark', 'Highlight', '=='],
  ['code', 'Inline code', '`'],
  ['heading', 'Heading', 'H'],
  ['quote', 'Quote', '>'],
  ['ul', 'Bulleted list', '•'],
  ['ol', 'Numbered list', '1.'],
  ['task', 'Task list', '☐'],
  ['link', 'Link', 'Link'],
  ['wikilink', 'Wiki link', '[[ ]]'],
  ['table', 'Table', 'Table'],
];

/** The editor: a plain form (textarea, Preview, Save) that the editor script turns into CodeMirror. */
export const EditPage: FC<EditProps> = (props) => {
  const { chrome, path, name, content, revision, message, preview, problem } = props;
  const slug = chrome.wiki?.slug ?? '';
  const heading = name === null ? `Create ${path}` : `Edit ${name}`;
  return (
    <Layout chrome={chrome} title={heading} editor katex>
      <h1 class="page-title">{heading}</h1>
      {problem && (
        <div class="flash error" role="alert">
          {problem.text}
          {problem.compareUrl && (
            <>
              {' '}
              <a href={problem.compareUrl}>See what they changed</a>.
            </>
          )}
        </div>
      )}
      <form
        class="editor-form"
        method="post"
        action={pageActionUrl(slug, 'edit', path)}
        data-preview-url={pageActionUrl(slug, 'preview', path)}
        data-upload-url={name === null ? undefined : uploadUrl(slug, path)}
        data-draft-key={`${slug}/${path}`}
      >
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="revision" value={revision} />
        <div class="editor-tabs" role="tablist" aria-label="Editor mode" hidden>
          <button type="button" role="tab" data-tab="write" aria-selected="true">
            Write
          </button>
          <button type="button" role="tab" data-tab="preview" aria-selected="false">
            Preview
          </button>
        </div>
        <div class="editor-toolbar" role="toolbar" aria-label="Formatting" hidden>
          {TOOLS.map(([action, label, text]) => (
            <button type="button" data-action={action} title={label}>
              <span aria-hidden="true">{text}</span>
              <span class="visually-hidden">{label}</span>
            </button>
          ))}
        </div>
        <div class="editor-host">
          <textarea
            name="content"
            class="editor-source"
            rows={24}
            aria-label="Page content (Markdown)"
            spellcheck={true}
          >
            {`\n${content}`}
          </textarea>
        </div>
        <section
          class="editor-preview markdown"
          aria-live="polite"
          aria-label="Preview"
          hidden={preview === null}
        >
          {preview && raw(preview.html)}
        </section>
        <p class="editor-status" aria-live="polite" />
        <div class="editor-footer">
          <div class="field">
            <label for="commit-message">Commit message</label>
            <input
              type="text"
              id="commit-message"
              name="message"
              value={message}
              placeholder={name === null ? `Create ${path}` : `Update ${path}`}
            />
          </div>
          <div class="form-row">
            <button type="submit" name="action" value="preview">
              Preview
            </button>
            <button type="submit" class="primary" name="action" value="save">
              Save
            </button>
            <a href={name === null ? wikiHome(slug) : pageUrl(slug, path)}>Cancel</a>
          </div>
        </div>
      </form>
    </Layout>
  );
};
