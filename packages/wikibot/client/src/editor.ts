import { mountEditor } from './editor/mount.js';

/** The edit page's enhancements: CodeMirror, toolbar, preview, drafts, Ctrl-S, pasted images. */
const form = document.querySelector<HTMLFormElement>('form.editor-form');
if (form) mountEditor(form);
