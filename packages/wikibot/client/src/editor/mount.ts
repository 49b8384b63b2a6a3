import type { EditorView } from '@codemirror/view';
import { renderMermaid } from '../mermaid.js';
import { createEditor, insertText, setText } from './codemirror.js';
import { DraftStore } from './drafts.js';
import { fetchPreview, uploadFile } from './requests.js';
import { initToolbar } from './toolbar.js';

/** Turn the plain edit form (textarea + Save/Preview buttons) into the full editor. */
export function mountEditor(form: HTMLFormElement): void {
  const textarea = form.querySelector<HTMLTextAreaElement>('textarea[name="content"]');
  if (!textarea) return;
  const status = form.querySelector<HTMLElement>('.editor-status');
  const say = (message: string) => {
    if (status) status.textContent = message;
  };
  const revision = form.querySelector<HTMLInputElement>('input[name="revision"]')?.value ?? '';
  const drafts = new DraftStore(form.dataset.draftKey ?? location.pathname);
  const saveButton = form.querySelector<HTMLButtonElement>('button[name="action"][value="save"]');
  const submit = () => form.requestSubmit(saveButton ?? undefined);

  const view = createEditor(textarea, {
    label: textarea.getAttribute('aria-label') ?? 'Page content (Markdown)',
    onChange: (text) => drafts.saveSoon(text, revision),
    onSave: submit,
    onPasteFiles: (files, editor) => attachFiles(form, files, editor, say),
  });

  const toolbar = form.querySelector<HTMLElement>('.editor-toolbar');
  if (toolbar) initToolbar(toolbar, view);
  initTabs(form, view, say);
  offerDraft(form, drafts, view, say);

  // Ctrl-S anywhere on the page (e.g. in the commit message field) saves too.
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', (event) => {
    textarea.value = view.state.doc.toString();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value === 'save') drafts.clear();
  });
  // The server-side preview button is for browsers without JavaScript; here the Preview tab does it.
  const serverPreview = form.querySelector<HTMLButtonElement>('button[name="action"][value="preview"]');
  if (serverPreview) serverPreview.hidden = true;
}

function initTabs(form: HTMLFormElement, view: EditorView, say: (message: string) => void): void {
  const tabs = form.querySelector<HTMLElement>('.editor-tabs');
  const preview = form.querySelector<HTMLElement>('.editor-preview');
  const host = form.querySelector<HTMLElement>('.editor-host');
  const toolbar = form.querySelector<HTMLElement>('.editor-toolbar');
  const url = form.dataset.previewUrl;
  if (!tabs || !preview || !host || !url) return;
  tabs.hidden = false;
  preview.hidden = true;
  const buttons = [...tabs.querySelectorAll<HTMLButtonElement>('button[data-tab]')];
  const select = async (tab: string) => {
    for (const button of buttons) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    const previewing = tab === 'preview';
    host.hidden = previewing;
    if (toolbar) toolbar.hidden = previewing;
    preview.hidden = !previewing;
    if (!previewing) {
      view.focus();
      return;
    }
    preview.setAttribute('aria-busy', 'true');
    try {
      preview.innerHTML = await fetchPreview(url, form, view.state.doc.toString());
      await renderMermaid(preview);
      say('');
    } catch (error) {
      say(`Preview failed: ${(error as Error).message}`);
    } finally {
      preview.removeAttribute('aria-busy');
    }
  };
  for (const button of buttons)
    button.addEventListener('click', () => void select(button.dataset.tab ?? 'write'));
}

function offerDraft(
  form: HTMLFormElement,
  drafts: DraftStore,
  view: EditorView,
  say: (message: string) => void,
): void {
  const draft = drafts.load();
  if (!draft || draft.content === view.state.doc.toString()) return;
  const banner = document.createElement('div');
  banner.className = 'flash warn editor-draft';
  banner.setAttribute('role', 'status');
  const when = new Date(draft.savedAt).toLocaleString();
  banner.append(`You have an unsaved draft of this page from ${when}. `);
  const restore = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: 'Restore draft',
  });
  const discard = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: 'Discard draft',
  });
  restore.addEventListener('click', () => {
    setText(view, draft.content);
    banner.remove();
    say('Draft restored. Save to keep it.');
  });
  discard.addEventListener('click', () => {
    drafts.clear();
    banner.remove();
  });
  banner.append(restore, ' ', discard);
  form.prepend(banner);
}

/** Upload pasted or dropped files as attachments of the page and link them at the cursor. */
function attachFiles(
  form: HTMLFormElement,
  files: File[],
  view: EditorView,
  say: (message: string) => void,
): boolean {
  const url = form.dataset.uploadUrl;
  if (!url) {
    say('Save the page first, then paste files into it.');
    return true;
  }
  void (async () => {
    for (const file of files) {
      const name = fileName(file);
      say(`Uploading ${name}…`);
      try {
        const uploaded = await uploadFile(url, form, file, name);
        const target = uploaded.filename.replace(
          /[ ()<>]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        );
        insertText(
          view,
          file.type.startsWith('image/')
            ? `![${uploaded.filename}](${target})`
            : `[${uploaded.filename}](${target})`,
        );
        say(`Attached ${uploaded.filename}.`);
      } catch (error) {
        say(`Could not attach ${name}: ${(error as Error).message}`);
      }
    }
  })();
  return true;
}

/** Clipboard images are all called "image.png": give each a unique, dated name. */
function fileName(file: File): string {
  if (file.name && file.name !== 'image.png') return file.name.replace(/^\.+/, '');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const extension = file.type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
  return `pasted-${stamp}-${Math.random().toString(36).slice(2, 6)}.${extension}`;
}
