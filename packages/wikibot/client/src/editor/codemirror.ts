import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdown, markdownLanguage } from '@codemirror/lang-markdown';
import { yamlFrontmatter } from '@codemirror/lang-yaml';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/** Markdown colours from the page's CSS variables, so both themes read well. */
const markdownStyle = HighlightStyle.define([
  { tag: tags.heading, fontWeight: '700', color: 'var(--fg)' },
  { tag: tags.strong, fontWeight: '700' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: [tags.link, tags.url], color: 'var(--link)' },
  { tag: tags.monospace, color: 'var(--fg)', backgroundColor: 'var(--code-bg)' },
  { tag: tags.quote, color: 'var(--fg-muted)' },
  { tag: [tags.processingInstruction, tags.meta, tags.contentSeparator], color: 'var(--fg-muted)' },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--link)' },
]);

export interface EditorOptions {
  label: string;
  onChange(text: string): void;
  onSave(): void;
  onPasteFiles(files: File[], view: EditorView): boolean;
}

/** A CodeMirror 6 Markdown editor in place of `textarea`, which stays in the form and is kept in sync. */
export function createEditor(textarea: HTMLTextAreaElement, options: EditorOptions): EditorView {
  const extensions: Extension[] = [
    lineNumbers(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    EditorView.lineWrapping,
    yamlFrontmatter({ content: markdown({ base: markdownLanguage }) }),
    syntaxHighlighting(markdownStyle),
    keymap.of([
      {
        key: 'Mod-s',
        preventDefault: true,
        run: () => {
          options.onSave();
          return true;
        },
      },
      ...defaultKeymap,
      ...historyKeymap,
    ]),
    EditorView.contentAttributes.of({ 'aria-label': options.label, 'aria-multiline': 'true' }),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      const text = update.state.doc.toString();
      textarea.value = text;
      options.onChange(text);
    }),
    EditorView.domEventHandlers({
      paste(event, view) {
        const files = [...(event.clipboardData?.files ?? [])];
        if (files.length === 0 || !options.onPasteFiles(files, view)) return false;
        event.preventDefault();
        return true;
      },
      drop(event, view) {
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length === 0) return false;
        const at = view.posAtCoords({ x: event.clientX, y: event.clientY });
        if (at !== null) view.dispatch({ selection: { anchor: at } });
        if (!options.onPasteFiles(files, view)) return false;
        event.preventDefault();
        return true;
      },
    }),
  ];
  const view = new EditorView({ state: EditorState.create({ doc: textarea.value, extensions }) });
  textarea.before(view.dom);
  textarea.hidden = true;
  return view;
}

/** Replace the editor's whole text (restoring a draft), as one undoable change. */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Insert text at the cursor (replacing the selection) and put the cursor after it. */
export function insertText(view: EditorView, text: string): void {
  view.dispatch(view.state.replaceSelection(text));
  view.focus();
}
